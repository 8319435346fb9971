#!/usr/bin/env bash
# The audit trail: who, when, from where, what (before and after) and the
# request id for every accepted change and refused attempt; history; the
# daemon's role cannot change or remove rows; audit verify finds an edited
# row and a removed one.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$EX"
expect_rc 0 yk budget set SW7-GOV-01 --source city --period 2021 --executed 3
expect_rc 0 yk status set SW7-GOV-01 --progress 90
expect_rc 6 yk status set SW7-GOV-01 --progress 190
yk get SW7-GOV-01 | sed 's/^version: .*/version: 1/' >"$T/stale.yaml"
expect_rc 4 yk apply -f "$T/stale.yaml"

expect_rc 0 yk history SW7-GOV-01
H=$T/out
[ "$(grep -c "admin  127.0.0.1:" "$H")" = 3 ] || fail "three accepted changes by admin from 127.0.0.1: $(cat "$H")"
grep -q "pledge_apply .*created" "$H" || fail "history: creation"
grep -q "budget.sources.city.amounts.2021.executed: 0 -> 3" "$H" || fail "history: budget change"
grep -q "progress_pct: 100 -> 90" "$H" || fail "history: progress change"
grep -q "REFUSED" "$H" && fail "refused attempts shown without --refused"
expect_rc 0 yk history SW7-GOV-01 --refused
grep -q "pledge_update REFUSED (INVALID_ARGUMENT)" "$T/out" || fail "history --refused: invalid"
grep -q "pledge_apply REFUSED (FAILED_PRECONDITION)" "$T/out" || fail "history --refused: stale version"
expect_rc 0 yk history SW7-GOV-01 -o json
grep -q '"request_id": "' "$T/out" || fail "history json: request id"
pass "history: who, when, from where, what; refused attempts on request"

# each update's row records both versions by their hashes (the documents
# themselves are pledge_versions' rows), with who, from where and which request
row=$(ykpsql -c "SELECT count(*) FROM audit_log a JOIN pledges p ON p.code = a.pledge_code
	JOIN pledge_versions b ON b.pledge_id = p.id AND b.version = a.version - 1
	JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = a.version
	WHERE a.pledge_code = 'SW7-GOV-01' AND a.outcome = 'accepted' AND a.before IS NULL AND a.after IS NULL
	AND a.before_sha256 = sha256(convert_to(b.document::text, 'UTF8')) AND a.after_sha256 = sha256(convert_to(v.document::text, 'UTF8'))
	AND a.login = 'admin' AND a.peer LIKE '127.0.0.1:%' AND a.request_id LIKE '%:%'")
[ "$row" = 2 ] || fail "updates carry the hashes of both versions, login, peer and request id ($row)"
pass "rows carry before and after documents"

# the daemon's own role cannot rewrite history
ykpsql -c "UPDATE audit_log SET message = 'x' WHERE id = 1" 2>"$T/e1" && fail "the daemon role could update audit_log"
grep -q "permission denied" "$T/e1" || fail "update: $(cat "$T/e1")"
ykpsql -c "DELETE FROM audit_log" 2>"$T/e2" && fail "the daemon role could delete from audit_log"
ykpsql -c "TRUNCATE audit_log" 2>"$T/e3" && fail "the daemon role could truncate audit_log"
# nor add a row of its own: one with an id far ahead and a made-up link would
# have every later row chain to it
ykpsql -c "INSERT INTO audit_log (id, at, op, outcome, status, prev_hash, hash)
	VALUES (1000000, now(), 'forged', 'accepted', 'OK', '\x00', '\x00')" 2>"$T/e4" &&
	fail "the daemon role could insert into audit_log"
grep -q "permission denied" "$T/e4" || fail "insert: $(cat "$T/e4")"
# (PostgreSQL only warns when a grant gives nothing; what counts is the UPDATE after it)
ykpsql -c "GRANT UPDATE, DELETE ON audit_log TO yaksok" >/dev/null 2>&1
ykpsql -c "UPDATE audit_log SET message = 'x' WHERE id = 1" 2>/dev/null && fail "the daemon role granted itself UPDATE"
[ "$(ykpsql -c "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")" = f ] ||
	fail "the daemon's role is a superuser"
[ "$(ykpsql -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")" = 0 ] ||
	fail "the daemon's role owns tables"
[ "$(ykpsql -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'yaksok_owner'")" -gt 20 ] ||
	fail "the schema is not owned by the migrations' role"
ykpsql -c "DELETE FROM schema_migrations" 2>/dev/null && fail "the daemon role could rewrite the migration list"
pass "the daemon's role: no superuser, owns no table, cannot update, delete or truncate audit rows nor grant itself that"

expect_rc 0 yk audit verify
grep -q "audit trail intact: [0-9]* rows checked" "$T/out" || fail "verify: $(cat "$T/out")"
pass "audit verify passes"

# someone with more rights edits one row behind the daemon's back
su_psql() { yk_pg_as_owner psql -X -q -A -t -h "$T/pg" -p 5432 -U postgres -d yaksok -v ON_ERROR_STOP=1 "$@"; }
victim=$(ykpsql -c "SELECT id FROM audit_log WHERE op = 'pledge_update' AND outcome = 'accepted' ORDER BY id LIMIT 1")
su_psql -c "SET session_replication_role = replica; UPDATE audit_log SET login = 'someone-else' WHERE id = $victim"
expect_rc 1 yk audit verify
grep -q "BROKEN at row $victim: its content does not match its hash" "$T/out" || fail "edited row: $(cat "$T/out")"
su_psql -c "SET session_replication_role = replica; UPDATE audit_log SET login = 'admin' WHERE id = $victim"
expect_rc 0 yk audit verify
pass "an edited row is found at that row"

# ... or removes one: the row after it no longer links
next=$(ykpsql -c "SELECT min(id) FROM audit_log WHERE id > $victim")
su_psql -c "SET session_replication_role = replica; DELETE FROM audit_log WHERE id = $victim"
expect_rc 1 yk audit verify
grep -q "BROKEN at row $next: its link to the row before does not hold" "$T/out" || fail "removed row: $(cat "$T/out")"
pass "a removed row is found at the row after it"

# an administrator who has looked into the break records it, as the schema's
# owner (the daemon's role cannot); verify then passes it, counting it, and
# goes on: a later edit is still found
owner_psql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$YK_OWNER_CONNINFO" "$@"; }
ykpsql -c "SELECT yk_audit_repair($next, 'row $victim removed by mistake during a test')" 2>/dev/null &&
	fail "the daemon's role recorded a repair"
owner_psql -c "SELECT yk_audit_repair((SELECT min(id) FROM audit_log), 'nothing broken here')" 2>/dev/null &&
	fail "a repair of a row whose link holds was accepted"
owner_psql -c "SELECT yk_audit_repair($next, 'row $victim removed by mistake during a test')" || fail "the owner cannot record a repair"
expect_rc 0 yk audit verify
grep -q "audit trail intact: .*1 recorded break passed" "$T/out" || fail "verify after the repair: $(cat "$T/out")"
later=$(ykpsql -c "SELECT max(id) FROM audit_log")
su_psql -c "SET session_replication_role = replica; UPDATE audit_log SET message = 'rewritten' WHERE id = $later"
expect_rc 1 yk audit verify
grep -q "BROKEN at row $later: its content does not match its hash" "$T/out" || fail "an edit after the repair: $(cat "$T/out")"
grep -q "1 recorded break passed" "$T/out" || fail "the repaired break is not counted: $(cat "$T/out")"
pass "a recorded repair is passed and counted, only the owner records one, and later breaks are still found"

# the trail vouches for the versions: a stored version changed behind the
# daemon's back (its role may write pledge_versions) is found at its row
vrow=$(ykpsql -c "SELECT min(id) FROM audit_log WHERE pledge_code = 'SW7-GOV-01' AND after_sha256 IS NOT NULL")
vver=$(ykpsql -c "SELECT version FROM audit_log WHERE id = $vrow")
ykpsql -c "UPDATE pledge_versions SET document = (document::jsonb || '{\"title\": \"바꿔치기\"}')::json
	WHERE version = $vver AND pledge_id = (SELECT id FROM pledges WHERE code = 'SW7-GOV-01')" || fail "psql"
expect_rc 1 yk audit verify
grep -q "BROKEN at row $vrow: version $vver of SW7-GOV-01 is not the document this row recorded" "$T/out" ||
	fail "a changed version: $(cat "$T/out")"
pass "a stored version changed behind the daemon's back is found at the audit row that recorded it"

# the trail grows by a row's worth per update, not by two documents: the
# example's document is ~10 KB; each update's audit row stays small
for i in $(seq 1 20); do expect_rc 0 yk status set SW7-GOV-01 --progress $((50 + i)); done
size=$(ykpsql -c "SELECT max(pg_column_size(a.*)) FROM audit_log a WHERE pledge_code = 'SW7-GOV-01' AND op = 'pledge_update'
	AND outcome = 'accepted' AND id > $vrow")
doc=$(ykpsql -c "SELECT pg_column_size(v.document) FROM pledge_versions v JOIN pledges p ON p.id = v.pledge_id
	WHERE p.code = 'SW7-GOV-01' ORDER BY v.version DESC LIMIT 1")
[ "$size" -lt 1024 ] || fail "an update's audit row takes $size bytes (the document $doc)"
pass "an update's audit row takes $size bytes, whatever the document's size ($doc bytes stored)"
