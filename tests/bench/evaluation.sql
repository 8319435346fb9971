-- pgbench twin of yaksokd's `evaluation add --suggestion TEXT`: the one
-- statement of its fast path, here with one write in its group -- the
-- suggestion written as one row, section 6 built again into the new
-- version's document (yk_evaluation_add), the audit row.  The session is
-- confirmed as for a token the daemon knows only from its cache.
\set p random(1, :pledges)
\set k random(1, 2000000000)
SELECT yk_progress_add(json_build_array(json_build_object('kind', 'evaluation', 'ctx', json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-v-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'code', 'GEN-' || lpad(:p::text, 3, '0'), 'suggestion', json_build_object('suggestion', 'pgbench ' || :client_id || '-' || :k), 'session', encode(sha256('yaksok-pgbench'::bytea), 'hex'))));
