#!/usr/bin/env bash
# An existing database upgrades in place.  tests/fixtures/upgrade/ holds a
# database made and filled by the release before the SQL functions moved to
# migrations/functions/ (tests/tools/make_upgrade_fixture.sh says how), with
# every pledge as that release served it.  This daemon opens it, records the
# migrations' checksums, replaces every function by its one current
# definition, and serves every pledge unchanged (compared as trees, with the
# version and stamps); the audit chain still verifies, also after new writes.
# An applied migration edited afterwards stops the daemon, naming the file.
source "$(dirname "$0")/lib.sh"
FX=$YK_SRC/tests/fixtures/upgrade
CMP=$YK_BIN/doccmp
ADMIN_PW=upgrade-fixture-admin
start_db
owner_psql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$YK_OWNER_CONNINFO" "$@"; }
owner_psql -f "$FX/database.sql" >/dev/null || fail "the fixture's dump does not load"
[ "$(owner_psql -c 'SELECT count(*) FROM schema_migrations')" = 10 ] || fail "the fixture is not at migration 10"
old_defs=$(owner_psql -c "SELECT md5(string_agg(prosrc, '' ORDER BY proname)) FROM pg_proc WHERE proname = 'yk_pledge_document'")
start_daemon
login_admin
grep -q "event=migration_checksum_recorded file=0001_accounts.sql" "$T/yaksokd.log" || fail "checksums of the applied migrations were not recorded"
grep -q "event=migration_applied file=migrations/0011_function_files.sql" "$T/yaksokd.log" || fail "0011 not applied"
[ "$(owner_psql -c 'SELECT count(*) FROM schema_migrations WHERE checksum IS NULL')" = 0 ] || fail "a migration without checksum"
nfiles=$(ls "$YK_SRC"/migrations/functions/*.sql | wc -l)
[ "$(owner_psql -c 'SELECT count(*) FROM schema_functions')" = "$nfiles" ] || fail "not every function file recorded"
[ "$(owner_psql -c "SELECT md5(string_agg(prosrc, '' ORDER BY proname)) FROM pg_proc WHERE proname = 'yk_pledge_document'")" != "$old_defs" ] ||
	fail "the old yk_pledge_document is still in place"
# one definition of each function: no overload left behind by an old signature
dups=$(owner_psql -c "SELECT string_agg(proname, ' ') FROM (SELECT proname FROM pg_proc WHERE proname LIKE 'yk\_%' GROUP BY proname HAVING count(*) > 1) d")
[ -z "$dups" ] || fail "functions with more than one definition: $dups"
pass "upgraded in place: checksums recorded, 0011 and every function file applied, one definition per function"

same() {  # same FIXTURE GOT: as trees, and the version and stamps too
	"$CMP" "$1" "$2" || fail "$2 differs from what the previous release served"
	for k in version updated_at updated_by; do
		[ "$(grep "\"$k\":" "$1" | head -1)" = "$(grep "\"$k\":" "$2" | head -1)" ] || fail "$k differs in $2"
	done
}
for code in SW7-GOV-01 SW7-GOV-02 WEL-01; do
	expect_rc 0 yk get "$code" -o json
	cp "$T/out" "$T/$code.json"
	same "$FX/$code.json" "$T/$code.json"
done
expect_rc 0 yk get WEL-01 --round 2021-Q2 -o json
cp "$T/out" "$T/round.json"
same "$FX/WEL-01.2021-Q2.json" "$T/round.json"
expect_rc 0 yk history WEL-01
# (times now carry microseconds: compared to the second, columns squeezed)
norm() { sed -E 's/\.[0-9]+Z/Z/; s/ +/ /g' "$1"; }
diff <(norm "$FX/WEL-01.history.txt") <(norm "$T/out") >/dev/null ||
	fail "history differs: $(diff <(norm "$FX/WEL-01.history.txt") <(norm "$T/out"))"
expect_rc 0 yk audit verify
grep -q "audit trail intact: 18 rows checked" "$T/out" || fail "audit verify after the upgrade: $(cat "$T/out")"
# a card approved before readers' summaries were kept has one now, and a
# viewer's list (which reads them) shows it as the card says
[ "$(ykpsql -c "SELECT count(*) FILTER (WHERE summary = yk_snapshot_summary(snapshot::jsonb)) || '/' || count(*)
	FROM submissions WHERE state = 'approved'")" = 1/1 ] || fail "the approved card has no summary after the upgrade"
add_user reader viewer
YK_USER=reader expect_rc 0 yk list -o json
[ "$(jq -c '[.[] | [.code, .title, .status, .version]]' "$T/out")" = \
	"$(jq -c '[[.code, .title, .status, .version]]' "$FX/WEL-01.2021-Q2.json")" ] ||
	fail "a viewer's list after the upgrade: $(cat "$T/out")"
pass "every pledge served as before (now and as approved), history the same, audit chain intact, readers' summaries made"

# the upgraded functions write: a progress item (the rebuilt section 4), a
# whole-document quick update, a round step
expect_rc 0 yk progress add WEL-01 --indicator "새 지표" --date 2021-07-02 --text "업그레이드 뒤"
expect_rc 0 yk budget set SW7-GOV-02 --source city --period 2021 --executed 1
expect_rc 0 yk round open 2021-Q3 --as-of 2021-09-30 --due 2099-12-31
expect_rc 0 yk get WEL-01 -o json
grep -q "업그레이드 뒤" "$T/out" || fail "the new item is not in the document"
expect_rc 0 yk audit verify
grep -q "audit trail intact: 22 rows checked" "$T/out" || fail "audit verify after new writes: $(cat "$T/out")"
pass "writes after the upgrade; the chain goes on"

# a second start applies nothing
stop_daemon
start_daemon
nmig=$(ls "$YK_SRC"/migrations/[0-9]*.sql | wc -l)
grep -q "event=schema_ready migrations=$nmig applied_now=0 function_files_applied=0" "$T/yaksokd.log" ||
	fail "a second start applied something: $(grep schema_ready "$T/yaksokd.log")"
stop_daemon
pass "a second start applies nothing"

# an applied migration that differs from its file stops the daemon, naming it
owner_psql -c "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2" || fail "psql"
: >"$T/yaksokd.log"
rc=0
timeout 120 "$YK_BIN/yaksokd" --db "$YK_CONNINFO" --db-owner "$YK_OWNER_CONNINFO" --listen 127.0.0.1:0 >>"$T/yaksokd.log" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "yaksokd with an edited migration exited $rc, not 1"
grep -q "event=migration_edited file=migrations/0002_pledges.sql" "$T/yaksokd.log" || fail "the edited file is not named: $(grep level=error "$T/yaksokd.log")"
pass "an edited migration is refused by name"

# A database that recorded 0002's text from before its comment was edited
# (migrations/superseded.txt) starts, and records the file's checksum now.
old=$(awk '/^0002_pledges.sql /{print $2}' "$YK_SRC/migrations/superseded.txt")
[ -n "$old" ] || fail "no superseded checksum for 0002 in migrations/superseded.txt"
owner_psql -c "UPDATE schema_migrations SET checksum = '$old' WHERE version = 2" || fail "psql"
: >"$T/yaksokd.log"
start_daemon
grep -q "event=migration_checksum_recorded file=0002_pledges.sql" "$T/yaksokd.log" || fail "the new checksum was not recorded"
[ "$(owner_psql -c 'SELECT checksum FROM schema_migrations WHERE version = 2')" = "$(sha256sum "$YK_SRC/migrations/0002_pledges.sql" | cut -d' ' -f1)" ] ||
	fail "0002's recorded checksum is not its file's"
stop_daemon
pass "a comment-only edit listed in migrations/superseded.txt is accepted, and its new checksum recorded"
