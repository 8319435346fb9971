-- pgbench twin of yaksokd's `evaluation add --suggestion TEXT`: the current
-- document read, the suggestion appended to section 6, and the group
-- statement writing it through yk_pledge_write of section 6's tables, with
-- one update in its group.
\set p random(1, :pledges)
\set k random(1, 2000000000)
SELECT yk_progress_add(json_build_array(json_build_object('kind', 'write', 'ctx', json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-v-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'doc', (v.document::jsonb - 'version' - 'updated_at' - 'updated_by' || jsonb_build_object('evaluations', coalesce(v.document::jsonb -> 'evaluations', '[]') || jsonb_build_array(jsonb_build_object('suggestion', 'pgbench ' || :client_id || '-' || :k))))::json, 'expected_version', p.version, 'writer_department', NULL, 'only_evaluations', false, 'sections', '["evaluations"]'::json))) FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version WHERE p.code = 'GEN-' || lpad(:p::text, 3, '0');
