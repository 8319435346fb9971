-- Repairs of the audit chain: when a row was removed behind the daemon's
-- back (or a forged one, after it was found and removed), the row after it
-- no longer links to the row before.  An administrator who has looked into
-- it records the break here (yk_audit_repair, as the schema's owner: the
-- daemon's role cannot), and yk_audit_verify then goes on past it, counting
-- it, instead of stopping there for ever.  yk_audit_verify's result gains the
-- count, so its earlier signature goes; the current one is in
-- functions/audit.sql.
CREATE TABLE audit_repairs (
    row_id      bigint PRIMARY KEY,  -- the row whose link to the row before does not hold
    link_from   bytea NOT NULL,      -- the hash the chain gives before it now (the surviving row's)
    reason      text NOT NULL CHECK (reason <> ''),
    repaired_by text NOT NULL DEFAULT current_user,
    repaired_at timestamptz NOT NULL DEFAULT now()
);
DROP FUNCTION IF EXISTS yk_audit_verify();
