-- pgbench twin of yaksokd's `indicator set --indicator NAME --period 2021-Q2
-- --actual N` (the first indicator of each generated card): the one
-- statement of its fast path, here with one write in its group -- the cell
-- written as one row, section 3 built again into the new version's document
-- (yk_indicator_cell), the audit row.  The session is confirmed as for a
-- token the daemon knows only from its cache.
\set p random(1, :pledges)
\set n random(1, 99)
\set k random(1, 2000000000)
SELECT yk_progress_add(json_build_array(json_build_object('kind', 'indicator', 'ctx', json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-i-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'code', p.code, 'indicator', i.name, 'period', '2021-Q2', 'value_kind', 'actual', 'value', :n::int, 'session', encode(sha256('yaksok-pgbench'::bytea), 'hex')))) FROM pledges p JOIN indicators i ON i.pledge_id = p.id AND i.set_seq = 1 AND i.seq = 1 WHERE p.code = 'GEN-' || lpad(:p::text, 3, '0');
