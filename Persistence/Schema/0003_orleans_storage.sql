-- Grain state (Microsoft.Orleans.Persistence.AdoNet and Galaxy's group-commit provider share this table).
-- Orleans 10's provider writes every serializer's output to PayloadBinary; the JSON and XML columns stay for its reads.
-- The providers key a row by the grain's id and the *state name* (GrainTypeString), not by grain class: every grain type
-- must therefore use its own state name, or two types with the same integer key would share a row.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    PayloadXml             xml          NULL,
    PayloadJson            text         NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NULL
);

-- The row key. Unique, so two concurrent first writes of one grain cannot both insert; the extension string is folded
-- with COALESCE because NULLs never collide in a plain unique index.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Key ON OrleansStorage
    (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, (COALESCE(GrainIdExtensionString, '')));

-- Writes succeed only against the version the grain last read (optimistic concurrency). The function returns the new
-- version, or the caller's version unchanged when the row moved on, which the provider turns into an
-- InconsistentStateException.
CREATE OR REPLACE FUNCTION galaxy_storage_write(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type varchar, p_grain_id_extension varchar, p_service_id varchar, p_expected_version integer,
    p_payload_binary bytea)
    RETURNS TABLE (NewGrainStateVersion integer) LANGUAGE plpgsql AS
$$
DECLARE
    v_new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO OrleansStorage AS s
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
             PayloadBinary, ModifiedOn, Version)
        VALUES
            (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type, p_grain_id_extension,
             p_service_id, p_payload_binary, now(), 1)
        ON CONFLICT (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, (COALESCE(GrainIdExtensionString, '')))
            DO NOTHING
        RETURNING s.Version INTO v_new_version;
    ELSE
        UPDATE OrleansStorage s
        SET PayloadBinary = p_payload_binary, ModifiedOn = now(), Version = s.Version + 1
        WHERE s.ServiceId = p_service_id AND s.GrainTypeString = p_grain_type
          AND s.GrainIdN0 = p_grain_id_n0 AND s.GrainIdN1 = p_grain_id_n1
          AND COALESCE(s.GrainIdExtensionString, '') = COALESCE(p_grain_id_extension, '')
          AND s.Version = p_expected_version
        RETURNING s.Version INTO v_new_version;
    END IF;
    RETURN QUERY SELECT COALESCE(v_new_version, p_expected_version);
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey',
 'SELECT NewGrainStateVersion FROM galaxy_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
      @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);'),
('ReadFromStorageKey',
 'SELECT PayloadBinary, PayloadXml, PayloadJson, now() AS ModifiedOn, Version
  FROM OrleansStorage
  WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''');'),
-- Clearing keeps the row (and bumps its version) so a stale writer still fails its version check afterwards.
('ClearStorageKey',
 'UPDATE OrleansStorage
  SET PayloadBinary = NULL, PayloadJson = NULL, PayloadXml = NULL, ModifiedOn = now(), Version = Version + 1
  WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
    AND Version = @GrainStateVersion
  RETURNING Version AS NewGrainStateVersion;')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
