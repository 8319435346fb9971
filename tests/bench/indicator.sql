-- pgbench twin of yaksokd's `indicator set --indicator NAME --period 2021-Q2
-- --actual N` (the first indicator of each generated card): the current
-- document read, the actual put in, and the group statement writing it
-- through yk_pledge_write of section 3's tables, with one update in its group.
-- A version conflict comes back as that element's error and counts as a
-- transaction here, where the daemon would read again and retry.
\set p random(1, :pledges)
\set n random(1, 99)
\set k random(1, 2000000000)
SELECT yk_progress_add(json_build_array(json_build_object('kind', 'write', 'ctx', json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-i-' || :client_id || '-' || :k, 'idem_hash', 'pgbench', 'op', 'pledge_update'), 'doc', jsonb_set(v.document::jsonb - 'version' - 'updated_at' - 'updated_by', '{indicator_sets,0,indicators,0,actuals,2021-Q2}', to_jsonb(:n::int))::json, 'expected_version', p.version, 'writer_department', NULL, 'only_evaluations', false, 'sections', '["indicator_sets"]'::json))) FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version WHERE p.code = 'GEN-' || lpad(:p::text, 3, '0');
