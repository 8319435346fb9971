-- pgbench twin of yaksokd's quick update (progress add): the statements its
-- handlers run, in order — session check, idempotency lookup, then the write
-- function with the item as the daemon checked and normalised it (one new
-- row, the new version's document, idempotency key, audit row).
\set p random(1, :pledges)
\set k random(1, 2000000000)
SELECT a.id, a.login, a.role, a.department_id, d.name FROM sessions s JOIN accounts a ON a.id = s.account_id LEFT JOIN departments d ON d.id = a.department_id WHERE s.token_hash = sha256('yaksok-pgbench'::bytea) AND s.expires_at > now();
SELECT request_hash, op, result FROM idempotency_keys WHERE account_id = 1 AND key = 'pgb-' || :client_id || '-' || :k;
SELECT yk_progress_add(json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'GEN-' || lpad(:p::text, 3, '0'), '부하 시험', 'bench', jsonb_build_object('text', 'pgbench ' || :client_id || '-' || :k), NULL, NULL);
