-- Who did what: idempotency keys for safe retries, and an append-only audit
-- trail whose rows are chained by hash.
--
-- Every write function takes a `ctx` json from the daemon:
--   {"account_id", "login", "peer", "request_id", "idem_key", "idem_hash", "op"}

CREATE TABLE idempotency_keys (
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key           text NOT NULL CHECK (length(key) BETWEEN 8 AND 128),
    request_hash  text NOT NULL,
    op            text NOT NULL,
    result        json,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE SEQUENCE audit_log_id_seq;
CREATE TABLE audit_log (
    id           bigint PRIMARY KEY,
    at           timestamptz NOT NULL,
    account_id   bigint,
    login        text,
    peer         text,
    request_id   text,
    op           text NOT NULL,
    pledge_code  text,
    outcome      text NOT NULL CHECK (outcome IN ('accepted', 'refused')),
    status       text NOT NULL,
    message      text,
    version      bigint,
    before       json,
    after        json,
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL
);
CREATE INDEX audit_log_pledge ON audit_log (pledge_code, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION yk_audit_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION yk_audit_refuse();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;

-- The apply of 0003 took no request context; the current one does
-- (functions/write.sql).  IF EXISTS: a new database never had the old one.
DROP FUNCTION IF EXISTS yk_pledge_apply(json, bigint, bigint, boolean, bigint);

