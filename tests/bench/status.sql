-- pgbench twin of yaksokd's `status set --progress N` (an unguarded value):
-- the one statement of its fast path, here with one write in its group --
-- the pledge's row changed and the new version's document derived from the
-- previous one (yk_status_set), the audit row.  The session is confirmed as
-- for a token the daemon knows only from its cache.
\set p random(1, :pledges)
\set n random(1, 99)
\set k random(1, 2000000000)
SELECT yk_progress_add(json_build_array(json_build_object('kind', 'status', 'ctx', json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-s-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'code', 'GEN-' || lpad(:p::text, 3, '0'), 'progress_pct', :n::int, 'session', encode(sha256('yaksok-pgbench'::bytea), 'hex'))));
