-- vigil schema, version 5: public statements. A statement has a title and a
-- body in Traditional Chinese (the original, always present), Portuguese and
-- English (translations, empty until written); it goes draft -> published.

CREATE TABLE statements (
    id {{ID}},
    title_zh TEXT NOT NULL,
    body_zh TEXT NOT NULL,
    title_pt TEXT NOT NULL DEFAULT '',
    body_pt TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    body_en TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft',
    published_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX statements_published ON statements(state, published_at);
