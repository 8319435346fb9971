-- An audit row of a new pledge version no longer holds the two whole
-- documents (they are pledge_versions' rows already, and a pledge updated
-- often made the trail grow with its size times its updates): it holds their
-- SHA-256, chained with the rest, so that the trail vouches for the versions
-- (yk_audit_verify checks each version against its row).  Rows from before
-- keep their documents and their hashes as they were.
ALTER TABLE audit_log ADD COLUMN before_sha256 bytea, ADD COLUMN after_sha256 bytea;
