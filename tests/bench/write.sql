-- pgbench twin of yaksokd's quick update (progress add): the one statement
-- its handler runs for a token the daemon knows, here with one write in its
-- group (yaksokd puts in one statement the writes that arrive while earlier
-- ones are with the database).  The write function confirms the session,
-- answers a repeated idempotency key, adds the item as the daemon checked and
-- normalised it (one new row), writes the new version's document and the
-- audit row.
\set p random(1, :pledges)
\set k random(1, 2000000000)
SELECT yk_progress_add(json_build_array(json_build_object('ctx', json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'code', 'GEN-' || lpad(:p::text, 3, '0'), 'indicator', '부하 시험', 'activity', 'bench', 'item', json_build_object('text', 'pgbench ' || :client_id || '-' || :k), 'session', encode(sha256('yaksok-pgbench'::bytea), 'hex'))));
