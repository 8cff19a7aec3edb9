-- Version 2: the query table of the Orleans ADO.NET providers (Orleans 10.4).
-- Each provider reads its rows once at start and fails to start when one of its keys is missing.
-- The providers name the table and columns without quotes, so they are created unquoted too.

CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);
