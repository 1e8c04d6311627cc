-- vigil schema, version 6: the case list's filters on the access table.
-- case_access carries copies of each case's status, category, stage and
-- source (kept in step by the store), so that a filtered list or count walks
-- one index of the caller's agency instead of every case it may see.

ALTER TABLE case_access ADD COLUMN status TEXT;
ALTER TABLE case_access ADD COLUMN category TEXT;
ALTER TABLE case_access ADD COLUMN stage TEXT;
ALTER TABLE case_access ADD COLUMN source TEXT;
UPDATE case_access SET
    status = (SELECT c.status FROM cases c WHERE c.id = case_access.case_id),
    category = (SELECT c.category FROM cases c WHERE c.id = case_access.case_id),
    stage = (SELECT c.stage FROM cases c WHERE c.id = case_access.case_id),
    source = (SELECT c.source FROM cases c WHERE c.id = case_access.case_id);
-- Status alone, category alone, and both (the commonest list): each walks
-- its index in date order, and a count needs no other table.
CREATE INDEX case_access_status ON case_access(org_id, status, opened_on, case_id);
CREATE INDEX case_access_category ON case_access(org_id, category, opened_on, case_id);
CREATE INDEX case_access_status_category
    ON case_access(org_id, status, category, opened_on, case_id);
