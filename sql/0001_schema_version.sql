-- Version 1: the table that records which numbered scripts in sql/ a database has.
-- SchemaMigrator (MeshFlow.Grains.Postgres) applies each script in its own transaction and inserts
-- the script's row here in that same transaction, so a row exists exactly when its script committed.

CREATE TABLE IF NOT EXISTS meshflow_schema_version (
    version    integer     NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
