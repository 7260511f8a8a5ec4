-- Least privilege (0010) for the monitoring tables of 0024.
--   galaxy_silo     the monitoring grain writes the performance log and prunes it, reads thresholds, records alerts and
--                   queues their deliveries; every silo's webhook dispatcher claims and settles deliveries
--   galaxy_gateway  reads the log, alerts and deliveries; sets thresholds; acknowledges alerts
GRANT SELECT, INSERT, DELETE ON galaxy_performance_logs, galaxy_resource_logs TO galaxy_silo;
GRANT SELECT ON galaxy_performance_logs, galaxy_resource_logs TO galaxy_gateway;
GRANT SELECT ON galaxy_alert_thresholds TO galaxy_silo;
GRANT SELECT, INSERT, UPDATE ON galaxy_alert_thresholds TO galaxy_gateway;
GRANT SELECT, INSERT, UPDATE ON galaxy_alerts TO galaxy_silo;
GRANT SELECT, UPDATE ON galaxy_alerts TO galaxy_gateway;
GRANT SELECT, INSERT, UPDATE, DELETE ON galaxy_alert_deliveries TO galaxy_silo;
GRANT SELECT ON galaxy_alert_deliveries TO galaxy_gateway;
