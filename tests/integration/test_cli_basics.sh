#!/usr/bin/env bash
# status, login (good, bad password, unknown user), whoami, logout, forged and
# missing tokens, departments and accounts, and the exit codes of each.
source "$(dirname "$0")/lib.sh"
start_db
start_daemon

expect_rc 0 yk status
grep -q "database:  reachable" "$T/out" || fail "status does not say the database is reachable"
pass "status"

expect_rc 5 yk whoami
grep -q "not logged in" "$T/err" || fail "whoami without login: $(cat "$T/err")"
pass "not logged in"

echo wrong-password | YK_USER=admin expect_rc 5 yk login admin --password-stdin
cp "$T/err" "$T/err.badpw"
echo wrong-password | YK_USER=admin expect_rc 5 yk login nosuchuser --password-stdin
cmp -s "$T/err" "$T/err.badpw" || fail "unknown user and wrong password answer differently"
pass "bad password and unknown user give the same error"

login_admin
expect_rc 0 yk whoami
grep -q "^admin (admin)" "$T/out" || fail "whoami: $(cat "$T/out")"
cred=$T/xdg-admin/yaksok/credentials
[ "$(stat -c %a "$cred")" = 600 ] || fail "credentials file mode is $(stat -c %a "$cred")"
pass "login saves credentials 0600"

expect_rc 5 yk --token 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef whoami
expect_rc 5 yk --token not-hex whoami
pass "forged tokens refused"

# only the hash of a token is stored
token=$(sed -n 's/^token=//p' "$cred")
[ "$(ykpsql -c "SELECT count(*) FROM sessions WHERE token_hash = sha256(decode('$token', 'hex'))")" = 1 ] ||
	fail "session is not stored by its token's hash"
ykpsql -c "SELECT encode(token_hash, 'hex') FROM sessions" | grep -q "$token" && fail "a raw token is stored"
pass "tokens stored only as hashes"

expect_rc 0 yk department add 정책기획과
expect_rc 4 yk department add 정책기획과
expect_rc 6 yk department add ""
# NFD input is stored as NFC: adding the NFD spelling conflicts
nfd=$(printf '\xe1\x84\x8c\xe1\x85\xa5\xe1\x86\xbc\xe1\x84\x8e\xe1\x85\xa2\xe1\x86\xa8\xe1\x84\x80\xe1\x85\xb5\xe1\x84\x92\xe1\x85\xac\xe1\x86\xa8\xe1\x84\x80\xe1\x85\xaa')
expect_rc 4 yk department add "$nfd"
expect_rc 0 yk department list
grep -q "정책기획과" "$T/out" || fail "department list"
expect_rc 0 yk department list -o json
grep -q '"name": "정책기획과"' "$T/out" || fail "department list json: $(cat "$T/out")"
pass "departments"

echo short | expect_rc 6 yk user add kim --role department --department 정책기획과 --password-stdin
grep -q "password: must be at least 8" "$T/err" || fail "short password: $(cat "$T/err")"
echo long-enough-pw | expect_rc 6 yk user add kim --role department --department 없는과 --password-stdin
grep -q "department" "$T/err" || fail "unknown department: $(cat "$T/err")"
echo long-enough-pw | expect_rc 6 yk user add kim --role mayor --password-stdin
echo long-enough-pw | expect_rc 0 yk user add kim --role department --department 정책기획과 --password-stdin
echo long-enough-pw | expect_rc 4 yk user add kim --role viewer --password-stdin
echo long-enough-pw | expect_rc 0 yk user add lee --role viewer --password-stdin
expect_rc 0 yk user list
grep -q "kim .*department .*정책기획과" "$T/out" || fail "user list: $(cat "$T/out")"
pass "accounts"

echo long-enough-pw | YK_USER=kim expect_rc 0 yk login kim --password-stdin
YK_USER=kim expect_rc 5 yk department add 복지과
grep -q "may not" "$T/err" || fail "department role adding a department: $(cat "$T/err")"
YK_USER=kim expect_rc 5 yk user list
YK_USER=kim expect_rc 0 yk department list
pass "roles on admin operations"

# five wrong passwords for one name: then even the right one waits
for i in 1 2 3 4 5; do
	echo wrong-password | YK_USER=lee expect_rc 5 yk login lee --password-stdin
done
echo long-enough-pw | YK_USER=lee expect_rc 5 yk login lee --password-stdin
grep -q "too many failed logins; try again in [0-9]* seconds" "$T/err" || fail "no lockout: $(cat "$T/err")"
grep -q "event=login_throttled" "$T/yaksokd.log" || fail "lockout not logged"
YK_USER=kim expect_rc 0 yk whoami
pass "failed logins: a locked name waits; other sessions go on"

YK_USER=kim expect_rc 0 yk logout
YK_USER=kim expect_rc 5 yk whoami
pass "logout"

expect_rc 2 yk no-such-command
expect_rc 2 yk get
expect_rc 0 yk get --help
expect_rc 0 yk help apply
for c in status login logout whoami apply get show list stats export import progress indicator budget evaluation round submit review diff history audit department user; do
	expect_rc 0 yk "$c" --help
done
expect_rc 0 "$YK_BIN/yaksokd" --help
expect_rc 2 "$YK_BIN/yaksokd" --db x --db-pool 0
pass "usage and --help"

# the habits of gh and kubectl: help once, help --help, version, one line for
# a usage error with a suggestion for a command or flag typo
for c in progress round budget change indicator evaluation audit user department; do
	expect_rc 0 yk help "$c"
	[ "$(grep -c '^usage:' "$T/out")" = 1 ] || fail "yaksok help $c prints its usage $(grep -c '^usage:' "$T/out") times"
done
expect_rc 0 yk help --help
expect_rc 0 yk version
grep -q "^yaksok [0-9]" "$T/out" || fail "yaksok version: $(cat "$T/out")"
expect_rc 2 yk lsit
[ "$(wc -l <"$T/err")" = 1 ] && grep -q 'did you mean "list"' "$T/err" || fail "a command typo: $(cat "$T/err")"
expect_rc 2 yk history SW7-GOV-01 --limt 5
[ "$(wc -l <"$T/err")" = 1 ] && grep -q "did you mean --limit?" "$T/err" || fail "a flag typo: $(cat "$T/err")"
expect_rc 2 yk history SW7-GOV-01 --limit
[ "$(wc -l <"$T/err")" = 1 ] && grep -q -- "--limit needs a value" "$T/err" || fail "a missing value: $(cat "$T/err")"
expect_rc 2 yk export --format csv --out - --aprove
grep -q "did you mean --approved?" "$T/err" || fail "export flag typo: $(cat "$T/err")"
pass "help once, help --help, version; one line for a usage error, with the command or flag meant"

# -o json wherever something is printed, with typed values
expect_rc 0 yk status -o json
grep -q '"database_ok": true' "$T/out" && grep -q '"protocol_version": 1' "$T/out" || fail "status -o json: $(cat "$T/out")"
expect_rc 0 yk whoami -o json
grep -q '"login": "admin"' "$T/out" && grep -q '"role": "admin"' "$T/out" || fail "whoami -o json: $(cat "$T/out")"
expect_rc 2 yk whoami -o csv
pass "status and whoami print JSON with -o json"

# tables fit the terminal (the widest text columns cut with …); piped, and
# with --wide, they are whole
expect_rc 0 yk apply -f "$YK_SRC/examples/suwon-governance.yaml"
yk list >"$T/piped.out" || fail "list"
[ "$(LC_ALL=C.UTF-8 wc -L <"$T/piped.out")" -gt 115 ] || fail "the piped table is narrower than the test assumes"
grep -q '…' "$T/piped.out" && fail "a piped table was cut"
tty_list() { COLUMNS=115 XDG_CONFIG_HOME="$T/xdg-admin" script -qec "$YK_BIN/yaksok --server $YK_SERVER list $*" /dev/null | tr -d '\r'; }
tty_list >"$T/tty.out"
[ "$(LC_ALL=C.UTF-8 wc -L <"$T/tty.out")" -le 115 ] || fail "the table on a 115-column terminal is $(LC_ALL=C.UTF-8 wc -L <"$T/tty.out") wide: $(cat "$T/tty.out")"
grep -q '…' "$T/tty.out" || fail "nothing was cut to fit"
grep -q 'SW7-GOV-01' "$T/tty.out" || fail "the code was cut: $(cat "$T/tty.out")"
tty_list --wide >"$T/wide.out"
[ "$(LC_ALL=C.UTF-8 wc -L <"$T/wide.out")" -gt 115 ] || fail "--wide did not print the table whole"
pass "tables fit a terminal's width, cut with …; piped and with --wide they are whole"

# statuses and funding sources in the card's words with --lang ko (or a
# Korean locale); codes with --lang en and in JSON
expect_rc 0 yk --lang ko list
grep -q '완료지속추진' "$T/out" && ! grep -q 'completed_ongoing' "$T/out" || fail "--lang ko: $(cat "$T/out")"
LC_ALL=ko_KR.UTF-8 yk list >"$T/ko.out" || fail "list in a Korean locale"
grep -q '완료지속추진' "$T/ko.out" || fail "a Korean locale does not list the status's word: $(cat "$T/ko.out")"
expect_rc 0 yk --lang en list
grep -q 'completed_ongoing' "$T/out" || fail "--lang en does not list the code"
LC_ALL=ko_KR.UTF-8 yk list -o json | grep -q '"status": "completed_ongoing"' || fail "JSON does not keep the code"
expect_rc 0 yk --lang ko stats
grep -q '시비' "$T/out" && grep -q '^계 ' "$T/out" || fail "stats in Korean lacks 시비 or 계: $(cat "$T/out")"
expect_rc 2 yk --lang fr list
pass "--lang ko: the card's words for statuses and sources in tables; en and JSON keep the codes"

# -o json on every command that prints something, with one shape per noun:
# numbers are numbers, booleans booleans, times RFC 3339 with microseconds
"$YK_BIN/docedit" "$YK_SRC/examples/suwon-governance.yaml" 'code="JSON-1"' >"$T/j1.json"
expect_rc 0 yk apply -f "$T/j1.json" -o json
grep -q '"version": 1,' "$T/out" && grep -q '"created": true' "$T/out" || fail "apply -o json: $(cat "$T/out")"
expect_rc 0 yk progress add JSON-1 --indicator "협치 계획 수립" --text "json" -o json
grep -q '"version": 2,' "$T/out" || fail "progress add -o json: $(cat "$T/out")"
expect_rc 0 yk round open 2031-Q1 --as-of 2031-03-31 --due 2031-04-10 -o json
grep -q '"state": "open"' "$T/out" || fail "round open -o json: $(cat "$T/out")"
expect_rc 0 yk audit verify -o json
grep -q '"ok": true' "$T/out" && grep -q '"checked": [0-9]' "$T/out" || fail "audit verify -o json: $(cat "$T/out")"
expect_rc 0 yk department add 자치행정과 -o json
grep -q '"name": "자치행정과"' "$T/out" && grep -Eq '"created_at": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}Z"' "$T/out" ||
	fail "department add -o json: $(cat "$T/out")"
expect_rc 0 yk list -o json
grep -Eq '"version": [0-9]+' "$T/out" && grep -Eq '"progress_pct": [0-9.]+,' "$T/out" && grep -Eq '"overdue": (true|false)' "$T/out" ||
	fail "list -o json types: $(head -20 "$T/out")"
grep -Eq '"updated_at": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}Z"' "$T/out" || fail "list -o json lacks updated_at as RFC 3339"
expect_rc 0 yk get JSON-1 -o json
grep -Eq '"updated_at": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}Z"' "$T/out" && grep -Eq '"version": 2,' "$T/out" &&
	grep -Eq '"progress_pct": 100,' "$T/out" || fail "get -o json types: $(grep -E 'updated_at|"version"|progress_pct' "$T/out")"
expect_rc 2 yk diff JSON-1 2021-Q1 2021-Q2 -o json
expect_rc 2 yk get JSON-1 -o csv
grep -q "it prints yaml json" "$T/err" || fail "a format a command does not print: $(cat "$T/err")"
pass "-o json on every command that prints: numbers, booleans and RFC 3339 times typed alike; a format a command does not print is refused"
