-- pgbench twin of yaksokd's `budget set --source city --period 2022
-- --planned N`: the one statement of its fast path, here with one write in
-- its group -- the cell written as one row, section 2 built again into the
-- new version's document (yk_budget_cell), the audit row.  The session is
-- confirmed as for a token the daemon knows only from its cache.
\set p random(1, :pledges)
\set n random(1, 99)
\set k random(1, 2000000000)
SELECT yk_progress_add(json_build_array(json_build_object('kind', 'budget', 'ctx', json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-b-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'code', 'GEN-' || lpad(:p::text, 3, '0'), 'source', 'city', 'period', '2022', 'cell', json_build_object('planned', :n::int), 'session', encode(sha256('yaksok-pgbench'::bytea), 'hex'))));
