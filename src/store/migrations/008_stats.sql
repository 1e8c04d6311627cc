-- vigil schema, version 8: the committee's statistics (src/store/stats.c).
-- The legal figures need a charge's exploitation, statute and article, a
-- verdict's outcome and a sentence's months, which live in the step's attrs
-- JSON: they are copied out into columns (store_legal_add fills them; the
-- backfill below does it for the steps already stored) so that both stores
-- can group on them and index them. The indexes let each figure read its
-- period only: cases by opening date with the columns the case tables group
-- on, victims by case, legal steps by type and date, and referrals,
-- services and tips by the time they were recorded.

ALTER TABLE legal_steps ADD COLUMN exploitation TEXT;
ALTER TABLE legal_steps ADD COLUMN statute TEXT;
ALTER TABLE legal_steps ADD COLUMN article TEXT;
ALTER TABLE legal_steps ADD COLUMN outcome TEXT;
ALTER TABLE legal_steps ADD COLUMN months BIGINT;

-- only: sqlite
UPDATE legal_steps SET
    exploitation = json_extract(attrs, '$.exploitation'),
    statute = json_extract(attrs, '$.statute'),
    article = CAST(json_extract(attrs, '$.article') AS TEXT),
    outcome = json_extract(attrs, '$.outcome'),
    months = json_extract(attrs, '$.months')
WHERE json_valid(attrs);
-- only: postgresql
UPDATE legal_steps SET
    exploitation = attrs::json->>'exploitation',
    statute = attrs::json->>'statute',
    article = attrs::json->>'article',
    outcome = attrs::json->>'outcome',
    months = (attrs::json->>'months')::bigint;
-- only: end

CREATE INDEX cases_stats ON cases(opened_on, category, source, org_id);
CREATE INDEX persons_stats ON persons(case_id, role, gender, age);
CREATE INDEX legal_steps_stats ON legal_steps(step_type, step_on, case_id);
CREATE INDEX legal_steps_case_type ON legal_steps(case_id, step_type, step_on);
CREATE INDEX referrals_created ON referrals(created_at);
CREATE INDEX services_created ON services(created_at);
CREATE INDEX tips_created ON tips(created_at);
