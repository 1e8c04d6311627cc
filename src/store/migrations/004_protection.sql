-- vigil schema, version 4: victim protection and judicial supervision.
-- Screenings, trafficking status decisions (a history), services and support
-- plans, consent per person and purpose, consent overrides, the legal track
-- (one table of typed steps), events (hte_) and an index for looking up the
-- audit trail of one case. Free text about persons (screening notes, decision
-- reasons, service objectives, event descriptions, override reasons) is
-- sealed like personal fields (docs/decisions.md).

CREATE TABLE screenings (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    child INTEGER NOT NULL,
    sealed {{BLOB}} NOT NULL,
    recommendation TEXT NOT NULL,
    complete INTEGER NOT NULL,
    assessor_id BIGINT REFERENCES users(id),
    screened_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX screenings_case ON screenings(case_id);

CREATE TABLE status_decisions (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    status TEXT NOT NULL,
    decision_org TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    sealed_reason {{BLOB}},
    decided_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX status_decisions_person ON status_decisions(person_id, id);
CREATE INDEX status_decisions_case ON status_decisions(case_id);

CREATE TABLE services (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    person_id BIGINT REFERENCES persons(id),
    spl_type TEXT NOT NULL,
    sealed_objectives {{BLOB}},
    planned_end TEXT,
    actual_end TEXT,
    state TEXT NOT NULL,
    provider_org BIGINT NOT NULL REFERENCES organisations(id),
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX services_case ON services(case_id);
CREATE INDEX services_overdue ON services(provider_org, state, planned_end);

CREATE TABLE consents (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    person_id BIGINT NOT NULL REFERENCES persons(id),
    purpose TEXT NOT NULL,
    granted INTEGER NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX consents_person ON consents(person_id, purpose, id);
CREATE INDEX consents_case ON consents(case_id);

CREATE TABLE consent_overrides (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    referral_id BIGINT NOT NULL REFERENCES referrals(id),
    purpose TEXT NOT NULL,
    sealed_reason {{BLOB}} NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX consent_overrides_case ON consent_overrides(case_id);

CREATE TABLE legal_steps (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    step_type TEXT NOT NULL,
    step_on TEXT NOT NULL,
    attrs TEXT NOT NULL DEFAULT '{}',
    court_org BIGINT REFERENCES organisations(id),
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX legal_steps_case ON legal_steps(case_id);

CREATE TABLE events (
    id {{ID}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    hte_type TEXT NOT NULL,
    hte_date TEXT,
    hte_city TEXT,
    hte_country TEXT,
    sealed_description {{BLOB}},
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX events_case ON events(case_id);

-- The audit trail of one case: object = 'case:N' or starts with 'case:N/'.
-- only: sqlite
CREATE INDEX audit_object ON audit(object);
-- only: postgresql
CREATE INDEX audit_object ON audit(object text_pattern_ops);
-- only: end
