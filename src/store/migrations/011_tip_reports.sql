-- vigil schema, version 11: the US Trafficking in Persons Report of each
-- year (tier, publication, reporting period, the committee's notes on what
-- it disputes), its prioritised recommendations (English text with optional
-- translations, an explicit assessment, the committee's position), the
-- measures that answer each one, and the figures that evidence it (saved
-- statistics queries: a table, row and column of the statistics over the
-- report's reporting period or a calendar year).

CREATE TABLE tip_reports (
    id {{ID}},
    year INTEGER NOT NULL UNIQUE,
    tier TEXT NOT NULL,
    published_on TEXT,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    notes_en TEXT NOT NULL DEFAULT '',
    notes_zh TEXT NOT NULL DEFAULT '',
    notes_pt TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE tip_recommendations (
    id {{ID}},
    report_id BIGINT NOT NULL REFERENCES tip_reports(id),
    seq INTEGER NOT NULL,
    text_en TEXT NOT NULL,
    text_zh TEXT NOT NULL DEFAULT '',
    text_pt TEXT NOT NULL DEFAULT '',
    assessment TEXT,
    position_en TEXT NOT NULL DEFAULT '',
    position_zh TEXT NOT NULL DEFAULT '',
    position_pt TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (report_id, seq)
);

CREATE TABLE recommendation_measures (
    recommendation_id BIGINT NOT NULL REFERENCES tip_recommendations(id),
    measure_id BIGINT NOT NULL REFERENCES measures(id),
    PRIMARY KEY (recommendation_id, measure_id)
);
CREATE INDEX recommendation_measures_measure ON recommendation_measures(measure_id);

CREATE TABLE recommendation_figures (
    id {{ID}},
    recommendation_id BIGINT NOT NULL REFERENCES tip_recommendations(id),
    label_en TEXT NOT NULL,
    label_zh TEXT NOT NULL DEFAULT '',
    label_pt TEXT NOT NULL DEFAULT '',
    stat_table TEXT NOT NULL,
    stat_row TEXT NOT NULL,
    stat_column TEXT NOT NULL,
    period TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX recommendation_figures_rec ON recommendation_figures(recommendation_id);
