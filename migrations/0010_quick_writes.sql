-- Quick writes.  A whole-document write replaces the rows of the sections it
-- touches and assembles the new version's document from all of them again;
-- on a full card (5 indicators over 12 quarters, 20 activities) that was
-- about ten milliseconds of PostgreSQL per write.  The commonest quick update
-- -- a department adding what it did to section 4 -- now writes one row, and
-- the new version's document is the previous one with that item added
-- (docs/performance.md).

-- Every write stores the new version's document and the audit row's two
-- documents; pglz compressing them was the largest single cost of a write in
-- PostgreSQL.  lz4 does it several times faster (new values only; where the
-- server was built without lz4, pglz stays).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE pledge_versions ALTER COLUMN document SET COMPRESSION lz4;
        ALTER TABLE audit_log ALTER COLUMN before SET COMPRESSION lz4, ALTER COLUMN after SET COMPRESSION lz4;
    END IF;
END $$;
