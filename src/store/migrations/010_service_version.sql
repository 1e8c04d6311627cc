-- vigil schema, version 10: services carry a version, so that an update
-- names the version it changes (If-Match) like cases and statements do.

ALTER TABLE services ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
