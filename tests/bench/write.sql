-- pgbench twin of yaksokd's quick update (progress add): session check,
-- idempotency lookup, the current document, then the same write function
-- with the item appended (the daemon appends it in C and validates the whole
-- document there; here SQL does the append).  The pledge row is locked while
-- the document is read, which is what the daemon's per-pledge turn and
-- version check achieve.
\set p random(1, :pledges)
\set k random(1, 2000000000)
SELECT a.id, a.login, a.role, a.department_id, d.name FROM sessions s JOIN accounts a ON a.id = s.account_id LEFT JOIN departments d ON d.id = a.department_id WHERE s.token_hash = sha256('yaksok-pgbench'::bytea) AND s.expires_at > now();
SELECT request_hash, op, result FROM idempotency_keys WHERE account_id = 1 AND key = 'pgb-' || :client_id || '-' || :k;
WITH cur AS (SELECT v.document::jsonb AS d, p.version AS ver FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version WHERE p.code = 'GEN-' || lpad(:p::text, 3, '0') FOR UPDATE OF p) SELECT yk_pledge_write(json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), jsonb_insert(d - 'version' - 'updated_at' - 'updated_by', '{progress,by_indicator,0,activities,0,items,-1}', jsonb_build_object('text', 'pgbench ' || :client_id || '-' || :k), true)::json, ver, false, NULL, false, '{progress}') FROM cur;
