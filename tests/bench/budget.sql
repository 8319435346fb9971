-- pgbench twin of yaksokd's `budget set --source city --period 2022 --planned N`:
-- the current document read, the cell put in, and the group statement
-- writing it through yk_pledge_write of the budget section, with one update
-- in its group.
\set p random(1, :pledges)
\set n random(1, 99)
\set k random(1, 2000000000)
SELECT yk_progress_add(json_build_array(json_build_object('kind', 'write', 'ctx', json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-b-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'doc', jsonb_set(v.document::jsonb - 'version' - 'updated_at' - 'updated_by', '{budget,sources,city,amounts,2022,planned}', to_jsonb(:n::int))::json, 'expected_version', p.version, 'writer_department', NULL, 'only_evaluations', false, 'sections', '["budget"]'::json))) FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version WHERE p.code = 'GEN-' || lpad(:p::text, 3, '0');
