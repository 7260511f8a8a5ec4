-- Least privilege (0010) for the deployment tables of 0020.
--   galaxy_silo     deployment grains record their deployments and ask for approvals; labscapes record what they serve
--   galaxy_gateway  lists deployments, routes inference by what labscapes serve, takes and decides approval requests
GRANT SELECT, INSERT, UPDATE ON galaxy_deployments, galaxy_labscape_serving TO galaxy_silo;
GRANT SELECT ON galaxy_deployments, galaxy_labscape_serving TO galaxy_gateway;
GRANT SELECT, INSERT, UPDATE ON galaxy_approvals TO galaxy_silo, galaxy_gateway;
