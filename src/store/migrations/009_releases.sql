-- vigil schema, version 9: privacy-preserving releases made from the web
-- (docs/privacy.md). A release names its source (the cases, or an imported
-- dataset), its parameters and who ran it; its files (aggregates, synthetic
-- microdata, evaluation, DP parameters) are kept whole. Nothing here is
-- personal: every file is already protected (k-anonymous or DP).

CREATE TABLE releases (
    id {{ID}},
    source TEXT NOT NULL,
    mode TEXT NOT NULL,
    k BIGINT NOT NULL,
    length BIGINT NOT NULL,
    epsilon TEXT,
    delta TEXT,
    records BIGINT NOT NULL,
    summary TEXT NOT NULL DEFAULT '{}',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE release_files (
    release_id BIGINT NOT NULL REFERENCES releases(id),
    name TEXT NOT NULL,
    content {{BLOB}} NOT NULL,
    PRIMARY KEY (release_id, name)
);
