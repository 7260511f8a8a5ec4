-- Orleans membership (Microsoft.Orleans.Clustering.AdoNet).
-- One version row per cluster: every membership change bumps it, which is how silos detect concurrent edits.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    MetadataJson text           NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Conditional writes return 1 when they took effect and 0 when the table version moved on (the caller retries).
-- A row-count of 0 must leave nothing behind, hence the version bump and the row write share one statement group
-- that is undone by raising inside a sub-block.
CREATE OR REPLACE FUNCTION galaxy_membership_insert_version(p_deployment_id varchar)
    RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (p_deployment_id)
    ON CONFLICT (DeploymentId) DO NOTHING;
    RETURN QUERY SELECT CASE WHEN FOUND THEN 1 ELSE 0 END;
END
$$;

CREATE OR REPLACE FUNCTION galaxy_membership_insert(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer, p_silo_name varchar, p_host_name varchar,
    p_status integer, p_proxy_port integer, p_start_time timestamptz, p_i_am_alive_time timestamptz, p_expected_version integer)
    RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS
$$
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable v
        SET Timestamp = now(), Version = v.Version + 1
        WHERE v.DeploymentId = p_deployment_id AND v.Version = p_expected_version;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'membership version moved on' USING ERRCODE = 'serialization_failure';
        END IF;

        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES
            (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port, p_start_time, p_i_am_alive_time)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'silo row already present' USING ERRCODE = 'serialization_failure';
        END IF;
    EXCEPTION WHEN serialization_failure THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END;
    RETURN QUERY SELECT 1;
END
$$;

CREATE OR REPLACE FUNCTION galaxy_membership_update(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer, p_status integer, p_suspect_times varchar,
    p_i_am_alive_time timestamptz, p_expected_version integer)
    RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS
$$
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable v
        SET Timestamp = now(), Version = v.Version + 1
        WHERE v.DeploymentId = p_deployment_id AND v.Version = p_expected_version;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'membership version moved on' USING ERRCODE = 'serialization_failure';
        END IF;

        UPDATE OrleansMembershipTable m
        SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = GREATEST(m.IAmAliveTime, p_i_am_alive_time)
        WHERE m.DeploymentId = p_deployment_id AND m.Address = p_address AND m.Port = p_port AND m.Generation = p_generation;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'silo row missing' USING ERRCODE = 'serialization_failure';
        END IF;
    EXCEPTION WHEN serialization_failure THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END;
    RETURN QUERY SELECT 1;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey',
 'SELECT row_count FROM galaxy_membership_insert_version(@DeploymentId);'),
('InsertMembershipKey',
 'SELECT row_count FROM galaxy_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
      @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);'),
('UpdateMembershipKey',
 'SELECT row_count FROM galaxy_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
      @IAmAliveTime, @Version);'),
('UpdateIAmAlivetimeKey',
 'UPDATE OrleansMembershipTable SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
  WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;'),
('MembershipReadRowKey',
 'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
         m.SuspectTimes, m.MetadataJson, m.StartTime, m.IAmAliveTime, v.Version
  FROM OrleansMembershipVersionTable v
  LEFT JOIN OrleansMembershipTable m
         ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
  WHERE v.DeploymentId = @DeploymentId;'),
('MembershipReadAllKey',
 'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
         m.SuspectTimes, m.MetadataJson, m.StartTime, m.IAmAliveTime, v.Version
  FROM OrleansMembershipVersionTable v
  LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
  WHERE v.DeploymentId = @DeploymentId;'),
('DeleteMembershipTableEntriesKey',
 'DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
  DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;'),
('GatewaysQueryKey',
 'SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
  WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;'),
-- Dead rows (status 6) that stopped beating before the cut-off and carry no pending suspicion.
('CleanupDefunctSiloEntriesKey',
 'DELETE FROM OrleansMembershipTable
  WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
    AND COALESCE(SuspectTimes, '''') = '''';'),
-- One dead row, only if it is still exactly as the caller saw it.
('CleanupDefunctSiloEntryKey',
 'DELETE FROM OrleansMembershipTable
  WHERE DeploymentId = @DeploymentId AND Status = 6 AND Address = @Address AND Port = @Port
    AND Generation = @Generation AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
    AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''');')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
