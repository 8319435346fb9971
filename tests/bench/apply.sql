-- pgbench twin of yaksokd's `apply` of a whole card with one actual changed
-- (bench.c's apply: each client writes its own pledges, as a department
-- does, so there is no conflict): the current document read and the card
-- written back with its version through yk_pledge_write, naming the one
-- section that changed, as the daemon does after comparing the card with
-- the version's build.  Its own transaction, as the daemon's apply is.
\set k random(0, (:pledges - 1 - :client_id) / :clients)
\set p 1 + :client_id + :k * :clients
\set n random(1, 99)
\set r random(1, 2000000000)
SELECT yk_pledge_write(json_build_object('account_id', 1, 'login', 'admin', 'peer', 'pgbench', 'request_id', 'pgbench', 'idem_key', 'pgb-a-' || :client_id || '-' || :r, 'idem_hash', 'pgbench', 'op', 'pledge_apply'), jsonb_set(v.document::jsonb - 'version' - 'updated_at' - 'updated_by', '{indicator_sets,0,indicators,0,actuals,2021-Q2}', to_jsonb(:n::int))::json, p.version, false, NULL, false, '{indicator_sets}') FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version WHERE p.code = 'GEN-' || lpad(:p::text, 3, '0');
