-- vigil schema, version 12: how many cases each agency may see, per status,
-- category, stage and source, kept by triggers on case_access in the same
-- transaction as every grant, revoke and change. A case list filtered by
-- nothing else (the commonest) reads its total here, a few rows, instead of
-- counting up to 10,001 entries of case_access. NULLs are kept as ''.

CREATE TABLE case_counts (
    org_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    stage TEXT NOT NULL,
    source TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, status, category, stage, source)
);
INSERT INTO case_counts(org_id, status, category, stage, source, n)
    SELECT org_id, COALESCE(status, ''), COALESCE(category, ''), COALESCE(stage, ''),
           COALESCE(source, ''), COUNT(*)
    FROM case_access
    GROUP BY org_id, COALESCE(status, ''), COALESCE(category, ''), COALESCE(stage, ''),
             COALESCE(source, '');

-- only: sqlite
CREATE TRIGGER case_counts_ai AFTER INSERT ON case_access BEGIN
    INSERT INTO case_counts(org_id, status, category, stage, source, n)
    VALUES (new.org_id, COALESCE(new.status, ''), COALESCE(new.category, ''),
            COALESCE(new.stage, ''), COALESCE(new.source, ''), 1)
    ON CONFLICT (org_id, status, category, stage, source) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_counts_ad AFTER DELETE ON case_access BEGIN
    UPDATE case_counts SET n = n - 1
    WHERE org_id = old.org_id AND status = COALESCE(old.status, '')
      AND category = COALESCE(old.category, '') AND stage = COALESCE(old.stage, '')
      AND source = COALESCE(old.source, '');
END;
CREATE TRIGGER case_counts_au AFTER UPDATE OF org_id, status, category, stage, source
    ON case_access BEGIN
    UPDATE case_counts SET n = n - 1
    WHERE org_id = old.org_id AND status = COALESCE(old.status, '')
      AND category = COALESCE(old.category, '') AND stage = COALESCE(old.stage, '')
      AND source = COALESCE(old.source, '');
    INSERT INTO case_counts(org_id, status, category, stage, source, n)
    VALUES (new.org_id, COALESCE(new.status, ''), COALESCE(new.category, ''),
            COALESCE(new.stage, ''), COALESCE(new.source, ''), 1)
    ON CONFLICT (org_id, status, category, stage, source) DO UPDATE SET n = n + 1;
END;
-- only: postgresql
CREATE FUNCTION case_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE case_counts SET n = n - 1
        WHERE org_id = OLD.org_id AND status = COALESCE(OLD.status, '')
          AND category = COALESCE(OLD.category, '') AND stage = COALESCE(OLD.stage, '')
          AND source = COALESCE(OLD.source, '');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO case_counts(org_id, status, category, stage, source, n)
        VALUES (NEW.org_id, COALESCE(NEW.status, ''), COALESCE(NEW.category, ''),
                COALESCE(NEW.stage, ''), COALESCE(NEW.source, ''), 1)
        ON CONFLICT (org_id, status, category, stage, source)
        DO UPDATE SET n = case_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER case_counts_track
    AFTER INSERT OR DELETE OR UPDATE OF org_id, status, category, stage, source
    ON case_access FOR EACH ROW EXECUTE FUNCTION case_counts_track();
-- only: end
