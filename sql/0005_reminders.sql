-- Version 5: reminder definitions for the Orleans ADO.NET reminder service (UseAdoNetReminderService).
-- Period is in milliseconds. Version is the reminder's ETag, and a delete must present the current one.

CREATE TABLE IF NOT EXISTS meshflow_reminder (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Each silo reads the reminders of its hash range when ring ownership changes and on every refresh.
CREATE INDEX IF NOT EXISTS meshflow_reminder_service_hash
    ON meshflow_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
  FROM meshflow_reminder
 WHERE service_id = @ServiceId::text
   AND grain_id = @GrainId::text
$sql$),

('ReadReminderRowKey', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
  FROM meshflow_reminder
 WHERE service_id = @ServiceId::text
   AND grain_id = @GrainId::text
   AND reminder_name = @ReminderName::text
$sql$),

-- The hash range (@BeginHash, @EndHash] when it does not wrap around.
('ReadRangeRows1Key', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
  FROM meshflow_reminder
 WHERE service_id = @ServiceId::text
   AND grain_hash > @BeginHash::integer
   AND grain_hash <= @EndHash::integer
$sql$),

-- The hash range that wraps around: above @BeginHash or up to @EndHash.
('ReadRangeRows2Key', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
  FROM meshflow_reminder
 WHERE service_id = @ServiceId::text
   AND (grain_hash > @BeginHash::integer OR grain_hash <= @EndHash::integer)
$sql$),

('UpsertReminderRowKey', $sql$
INSERT INTO meshflow_reminder (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId::text, @GrainId::text, @ReminderName::text, @StartTime::timestamptz, @Period::bigint,
        @GrainHash::integer, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
   SET start_time = EXCLUDED.start_time,
       period = EXCLUDED.period,
       grain_hash = EXCLUDED.grain_hash,
       version = meshflow_reminder.version + 1
RETURNING version AS "Version"
$sql$),

-- Returns the number of rows deleted: 1 when @Version was current, else 0.
('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM meshflow_reminder
     WHERE service_id = @ServiceId::text
       AND grain_id = @GrainId::text
       AND reminder_name = @ReminderName::text
       AND version = @Version::integer
    RETURNING 1
)
SELECT count(*)::integer FROM deleted
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM meshflow_reminder
 WHERE service_id = @ServiceId::text
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
