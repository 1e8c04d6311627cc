-- vigil schema, version 7: the committee. Plenary meetings (with the
-- organisations that attended), the measures they introduce and the dated
-- progress of each, and prevention activities with their counts. None of
-- this is about a person: nothing here is sealed.

CREATE TABLE meetings (
    id {{ID}},
    held_on TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    agenda TEXT NOT NULL DEFAULT '[]',
    minutes TEXT NOT NULL DEFAULT '',
    decisions TEXT NOT NULL DEFAULT '[]',
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_held ON meetings(held_on);

CREATE TABLE meeting_attendees (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (meeting_id, org_id)
);

CREATE TABLE measures (
    id {{ID}},
    title TEXT NOT NULL,
    meeting_id BIGINT REFERENCES meetings(id),
    owner_org BIGINT NOT NULL REFERENCES organisations(id),
    due_on TEXT NOT NULL,
    state TEXT NOT NULL,
    done_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX measures_state_due ON measures(state, due_on);
CREATE INDEX measures_meeting ON measures(meeting_id);

CREATE TABLE measure_updates (
    id {{ID}},
    measure_id BIGINT NOT NULL REFERENCES measures(id),
    updated_on TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX measure_updates_measure ON measure_updates(measure_id, id);

CREATE TABLE activities (
    id {{ID}},
    kind TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    held_on TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    sites BIGINT NOT NULL DEFAULT 0,
    workers_reached BIGINT NOT NULL DEFAULT 0,
    officials_trained BIGINT NOT NULL DEFAULT 0,
    people_reached BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX activities_held ON activities(held_on, kind);
