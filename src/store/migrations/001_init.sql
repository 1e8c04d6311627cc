-- vigil schema, version 1: organisations, users, sessions, cases, persons,
-- notes, referrals and the audit chain.
-- Written once for both stores. {{ID}}, {{BLOB}} and the "-- only:" blocks are
-- the dialect differences, expanded by the driver (src/store/db.c).

CREATE TABLE organisations (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    org_type TEXT NOT NULL,
    name_zh TEXT NOT NULL DEFAULT '',
    name_pt TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id {{ID}},
    username TEXT NOT NULL UNIQUE,
    pw_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    disabled INTEGER NOT NULL DEFAULT 0,
    totp_secret {{BLOB}},
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id {{ID}},
    username TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);

CREATE TABLE cases (
    id {{ID}},
    reference TEXT NOT NULL UNIQUE,
    ref_year INTEGER NOT NULL,
    ref_seq INTEGER NOT NULL,
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    status TEXT NOT NULL,
    stage TEXT NOT NULL,
    category TEXT NOT NULL,
    source TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    recruitment_place TEXT,
    recruitment_country TEXT,
    exploitation_place TEXT,
    exploitation_country TEXT,
    closure_reason TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (ref_year, ref_seq)
);
CREATE INDEX cases_org_opened ON cases(org_id, opened_on);
CREATE INDEX cases_opened ON cases(opened_on);

-- Who may see a case: its owning organisation, and each organisation that
-- accepted a referral of it. Kept in step by the store; the case list walks
-- it in date order.
CREATE TABLE case_access (
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    case_id BIGINT NOT NULL REFERENCES cases(id),
    opened_on TEXT NOT NULL,
    PRIMARY KEY (org_id, case_id)
);
CREATE INDEX case_access_order ON case_access(org_id, opened_on, case_id);

CREATE TABLE case_assignees (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, user_id)
);

CREATE TABLE persons (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    role TEXT NOT NULL,
    sealed {{BLOB}} NOT NULL,
    gender TEXT,
    age INTEGER,
    attrs TEXT NOT NULL DEFAULT '{}',
    trafficking_status TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX persons_case ON persons(case_id);

CREATE TABLE person_values (
    person_id BIGINT NOT NULL REFERENCES persons(id),
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (person_id, field, value)
);
CREATE INDEX person_values_field ON person_values(field, value);

CREATE TABLE notes (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    author_id BIGINT REFERENCES users(id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notes_case ON notes(case_id);

CREATE TABLE referrals (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    from_org BIGINT NOT NULL REFERENCES organisations(id),
    to_org BIGINT NOT NULL REFERENCES organisations(id),
    reason TEXT NOT NULL,
    details TEXT,
    state TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT
);
CREATE INDEX referrals_to ON referrals(to_org, state);
CREATE INDEX referrals_case ON referrals(case_id);

CREATE TABLE audit (
    id {{ID}},
    at BIGINT NOT NULL,
    user_id BIGINT,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- only: sqlite
CREATE VIRTUAL TABLE notes_fts USING fts5(body, content='notes', content_rowid='id',
                                          tokenize='trigram');
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
-- only: postgresql
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX notes_body_trgm ON notes USING gin (body gin_trgm_ops);
CREATE INDEX cases_reference_trgm ON cases USING gin (reference gin_trgm_ops);
-- only: end
