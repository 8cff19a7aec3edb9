-- Version 3: cluster membership for the Orleans ADO.NET clustering provider (UseAdoNetClustering).
-- The provider's DeploymentId parameter is the Orleans ClusterId. Every membership change must
-- present the cluster's current table version. The change and the version increment happen
-- together or not at all, so silos that race to change membership cannot both succeed.

CREATE TABLE IF NOT EXISTS meshflow_membership_version (
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation. Deleting a cluster's version row deletes its silos too.
CREATE TABLE IF NOT EXISTS meshflow_membership (
    deployment_id   text        NOT NULL
        REFERENCES meshflow_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NULL,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Inserts a silo row, without suspicions, and increments the cluster's table version, but only while
-- the stored version equals p_version. Returns 1 on success and 0 when the version is stale, the cluster has no
-- version row, or the silo row already exists.
CREATE OR REPLACE FUNCTION meshflow_membership_insert(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    -- The row lock makes concurrent changes to one cluster wait for each other. A writer that waited
    -- re-reads the row after the lock is released, finds the incremented version and returns 0.
    PERFORM 1
      FROM meshflow_membership_version
     WHERE deployment_id = p_deployment_id
       AND version = p_version
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    INSERT INTO meshflow_membership (
        deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
        start_time, i_am_alive_time)
    VALUES (
        p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
        p_start_time, p_i_am_alive_time)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE meshflow_membership_version
       SET version = version + 1,
           updated_at = now()
     WHERE deployment_id = p_deployment_id;
    RETURN 1;
END
$$;

-- Updates a silo's status, suspicion list and heartbeat and increments the cluster's table version,
-- but only while the stored version equals p_version. Returns 1 on success, else 0.
CREATE OR REPLACE FUNCTION meshflow_membership_update(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1
      FROM meshflow_membership_version
     WHERE deployment_id = p_deployment_id
       AND version = p_version
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE meshflow_membership
       SET status = p_status,
           suspect_times = p_suspect_times,
           i_am_alive_time = p_i_am_alive_time
     WHERE deployment_id = p_deployment_id
       AND address = p_address
       AND port = p_port
       AND generation = p_generation;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE meshflow_membership_version
       SET version = version + 1,
           updated_at = now()
     WHERE deployment_id = p_deployment_id;
    RETURN 1;
END
$$;

-- The provider reads every column below by name, so each alias is quoted to keep its case.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $sql$
WITH inserted AS (
    INSERT INTO meshflow_membership_version (deployment_id)
    VALUES (@DeploymentId::text)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM inserted
$sql$),

('InsertMembershipKey', $sql$
SELECT meshflow_membership_insert(
    @DeploymentId::text, @Address::text, @Port::integer, @Generation::integer,
    @SiloName::text, @HostName::text, @Status::integer, @ProxyPort::integer,
    @StartTime::timestamptz, @IAmAliveTime::timestamptz, @Version::integer)
$sql$),

('UpdateMembershipKey', $sql$
SELECT meshflow_membership_update(
    @DeploymentId::text, @Address::text, @Port::integer, @Generation::integer,
    @Status::integer, @SuspectTimes::text, @IAmAliveTime::timestamptz, @Version::integer)
$sql$),

-- Heartbeats change no membership decision, so they leave the table version alone.
('UpdateIAmAlivetimeKey', $sql$
UPDATE meshflow_membership
   SET i_am_alive_time = @IAmAliveTime::timestamptz
 WHERE deployment_id = @DeploymentId::text
   AND address = @Address::text
   AND port = @Port::integer
   AND generation = @Generation::integer
$sql$),

-- The version row comes back even when the silo is absent, with null member columns.
('MembershipReadRowKey', $sql$
SELECT v.version           AS "Version",
       m.address           AS "Address",
       m.port              AS "Port",
       m.generation        AS "Generation",
       m.silo_name         AS "SiloName",
       m.host_name         AS "HostName",
       m.status            AS "Status",
       m.proxy_port        AS "ProxyPort",
       m.suspect_times     AS "SuspectTimes",
       m.start_time        AS "StartTime",
       m.i_am_alive_time   AS "IAmAliveTime"
  FROM meshflow_membership_version v
  LEFT JOIN meshflow_membership m
         ON m.deployment_id = v.deployment_id
        AND m.address = @Address::text
        AND m.port = @Port::integer
        AND m.generation = @Generation::integer
 WHERE v.deployment_id = @DeploymentId::text
$sql$),

('MembershipReadAllKey', $sql$
SELECT v.version           AS "Version",
       m.address           AS "Address",
       m.port              AS "Port",
       m.generation        AS "Generation",
       m.silo_name         AS "SiloName",
       m.host_name         AS "HostName",
       m.status            AS "Status",
       m.proxy_port        AS "ProxyPort",
       m.suspect_times     AS "SuspectTimes",
       m.start_time        AS "StartTime",
       m.i_am_alive_time   AS "IAmAliveTime"
  FROM meshflow_membership_version v
  LEFT JOIN meshflow_membership m ON m.deployment_id = v.deployment_id
 WHERE v.deployment_id = @DeploymentId::text
$sql$),

-- Clients connect to silos with this status (Orleans SiloStatus.Active = 3) and a gateway port.
('GatewaysQueryKey', $sql$
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
  FROM meshflow_membership
 WHERE deployment_id = @DeploymentId::text
   AND status = @Status::integer
   AND proxy_port > 0
$sql$),

('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM meshflow_membership_version
 WHERE deployment_id = @DeploymentId::text
$sql$),

-- Removes silos whose last heartbeat is older than @IAmAliveTime. An active silo (status 3) keeps
-- its row, because only the membership protocol may declare it dead.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM meshflow_membership
 WHERE deployment_id = @DeploymentId::text
   AND i_am_alive_time < @IAmAliveTime::timestamptz
   AND status <> 3
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
