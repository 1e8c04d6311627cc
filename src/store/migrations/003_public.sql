-- vigil schema, version 3: the public side. Anonymous tips (with a follow-up
-- code kept only as a hash) and "is there anything wrong with this page?"
-- feedback. What a tip says, and any contact, is sealed like personal fields.

CREATE TABLE tips (
    id {{ID}},
    code_hash TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    sealed {{BLOB}} NOT NULL,
    state TEXT NOT NULL,
    close_reason TEXT,
    case_id BIGINT REFERENCES cases(id),
    logged_by BIGINT REFERENCES users(id),
    handled_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tips_state ON tips(state, created_at);

CREATE TABLE tip_additions (
    id {{ID}},
    tip_id BIGINT NOT NULL REFERENCES tips(id),
    sealed {{BLOB}} NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX tip_additions_tip ON tip_additions(tip_id);

CREATE TABLE feedback (
    id {{ID}},
    page TEXT NOT NULL,
    message TEXT NOT NULL,
    sealed_contact {{BLOB}},
    lang TEXT,
    state TEXT NOT NULL DEFAULT 'new',
    created_at BIGINT NOT NULL
);
CREATE INDEX feedback_state ON feedback(state, created_at);
