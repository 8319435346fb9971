-- pgbench twin of yaksokd's PledgeGet: the statements its handlers run, in
-- order (session check, the current version's document), prepared.
-- -D pledges=N; the session row is made by scripts/bench.
\set p random(1, :pledges)
SELECT a.id, a.login, a.role, a.department_id, d.name FROM sessions s JOIN accounts a ON a.id = s.account_id LEFT JOIN departments d ON d.id = a.department_id WHERE s.token_hash = sha256('yaksok-pgbench'::bytea) AND s.expires_at > now();
SELECT v.document FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version WHERE p.code = 'GEN-' || lpad(:p::text, 3, '0');
