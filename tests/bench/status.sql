-- pgbench twin of yaksokd's `status set --progress N` (an unguarded value):
-- what the daemon's path runs without the daemon -- the current document
-- read, the value put in, and the group statement writing it through
-- yk_pledge_write of no section (the pledge's own row), with one update in
-- its group.  A version conflict (another client wrote the pledge since the read)
-- comes back as that element's error and counts as a transaction here, where
-- the daemon would read again and retry.
\set p random(1, :pledges)
\set n random(1, 99)
\set k random(1, 2000000000)
SELECT yk_progress_add(json_build_array(json_build_object('kind', 'write', 'ctx', json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-s-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'doc', (v.document::jsonb - 'version' - 'updated_at' - 'updated_by' || jsonb_build_object('progress_pct', :n::int))::json, 'expected_version', p.version, 'writer_department', NULL, 'only_evaluations', false, 'sections', '[]'::json))) FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version WHERE p.code = 'GEN-' || lpad(:p::text, 3, '0');
