-- vigil schema, version 2: imported statistical datasets (for example the CTDC
-- global dataset). Their rows are statistical records, never cases.

CREATE TABLE datasets (
    id {{ID}},
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    rows_read BIGINT NOT NULL DEFAULT 0,
    rows_imported BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE stat_records (
    dataset_id BIGINT NOT NULL REFERENCES datasets(id),
    line BIGINT NOT NULL,
    attrs TEXT NOT NULL,
    PRIMARY KEY (dataset_id, line)
);
