-- Version 4: grain state for the Orleans ADO.NET grain storage provider (AddAdoNetGrainStorage).
-- A row is identified by the service, the state name (the provider's GrainTypeString) and the grain id,
-- which the provider splits into two integers and an optional string extension.
-- Every write presents the version it read (the grain state's ETag). A write with a stale version
-- changes nothing and returns the version it was given, which the provider reports as an
-- InconsistentStateException.
-- Requires PostgreSQL 15 or later for UNIQUE NULLS NOT DISTINCT.

CREATE TABLE IF NOT EXISTS meshflow_grain_state (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id         text        NOT NULL,
    grain_type_hash    integer     NOT NULL,
    grain_type         text        NOT NULL,
    grain_id_hash      integer     NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NULL,
    payload            bytea       NULL,
    version            integer     NOT NULL,
    modified_at        timestamptz NOT NULL DEFAULT now()
);

-- Enforces one row per grain state, so two concurrent first writes cannot both insert. The hashes
-- lead because they are the most selective columns.
-- NOTE: PostgreSQL limits a btree entry to about 2.7 kB (with the default 8 kB page), so a state name
-- plus grain key longer than that makes the first write fail with an index row size error.
CREATE UNIQUE INDEX IF NOT EXISTS meshflow_grain_state_key
    ON meshflow_grain_state (
        grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1, grain_type, grain_id_extension)
    NULLS NOT DISTINCT;

-- Stores a payload and returns the row's new version. With p_version null (the grain never saw a row)
-- it inserts version 1 only when no row exists. Otherwise it updates only the row whose version equals
-- p_version. On a conflict it returns p_version unchanged.
CREATE OR REPLACE FUNCTION meshflow_grain_state_write(
    p_service_id         text,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_id_extension text,
    p_version            integer,
    p_payload            bytea)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    new_version integer;
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO meshflow_grain_state (
            service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0, grain_id_n1,
            grain_id_extension, payload, version)
        VALUES (
            p_service_id, p_grain_type_hash, p_grain_type, p_grain_id_hash, p_grain_id_n0, p_grain_id_n1,
            p_grain_id_extension, p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO new_version;
    ELSE
        UPDATE meshflow_grain_state
           SET payload = p_payload,
               version = version + 1,
               modified_at = now()
         WHERE grain_id_hash = p_grain_id_hash
           AND grain_type_hash = p_grain_type_hash
           AND service_id = p_service_id
           AND grain_id_n0 = p_grain_id_n0
           AND grain_id_n1 = p_grain_id_n1
           AND grain_type = p_grain_type
           AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
           AND version = p_version
        RETURNING version INTO new_version;
    END IF;

    RETURN coalesce(new_version, p_version);
END
$$;

-- Sets the payload to null and increments the version, with the same version check as a write, and
-- returns the new version (p_version unchanged on a conflict). Clearing a state that has no row
-- inserts one with a null payload, so the returned version can be presented by the next write.
CREATE OR REPLACE FUNCTION meshflow_grain_state_clear(
    p_service_id         text,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_id_extension text,
    p_version            integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN meshflow_grain_state_write(
        p_service_id, p_grain_type_hash, p_grain_type, p_grain_id_hash, p_grain_id_n0, p_grain_id_n1,
        p_grain_id_extension, p_version, NULL);
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', $sql$
SELECT meshflow_grain_state_write(
    @ServiceId::text, @GrainTypeHash::integer, @GrainTypeString::text, @GrainIdHash::integer,
    @GrainIdN0::bigint, @GrainIdN1::bigint, @GrainIdExtensionString::text, @GrainStateVersion::integer,
    @PayloadBinary::bytea) AS "NewGrainStateVersion"
$sql$),

-- No row, or a row with a null payload, reads as "no state".
('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary",
       version AS "Version"
  FROM meshflow_grain_state
 WHERE grain_id_hash = @GrainIdHash::integer
   AND grain_type_hash = @GrainTypeHash::integer
   AND service_id = @ServiceId::text
   AND grain_id_n0 = @GrainIdN0::bigint
   AND grain_id_n1 = @GrainIdN1::bigint
   AND grain_type = @GrainTypeString::text
   AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString::text
$sql$),

('ClearStorageKey', $sql$
SELECT meshflow_grain_state_clear(
    @ServiceId::text, @GrainTypeHash::integer, @GrainTypeString::text, @GrainIdHash::integer,
    @GrainIdN0::bigint, @GrainIdN1::bigint, @GrainIdExtensionString::text, @GrainStateVersion::integer)
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
