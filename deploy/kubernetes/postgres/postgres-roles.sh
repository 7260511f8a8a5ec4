#!/usr/bin/env bash
# Galaxy's database roles for the postgres container (docker-compose.yml, and this reference StatefulSet), run once when
# its data volume is new:
# the schema's owner, who migrates, and the roles silos and gateways connect as (docs/security.md, "Database roles").
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE galaxy_owner LOGIN PASSWORD '${GALAXY_OWNER_PASSWORD}';
CREATE ROLE galaxy_silo LOGIN PASSWORD '${GALAXY_SILO_PASSWORD}';
CREATE ROLE galaxy_gateway LOGIN PASSWORD '${GALAXY_GATEWAY_PASSWORD}';
CREATE ROLE galaxy_auditor LOGIN PASSWORD '${GALAXY_AUDITOR_PASSWORD}';
ALTER DATABASE galaxy OWNER TO galaxy_owner;
SQL
