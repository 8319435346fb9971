#!/usr/bin/env bash
# Other people's text never reaches a terminal as commands.  Control
# characters (escape sequences, C1, bidirectional overrides) are refused in
# every text a client sends, line breaks and invisible characters in names
# and titles too; and what is stored already (from before, or put there
# behind the daemon's back) is printed by the CLI as U+FFFD, while JSON
# output keeps it, escaped.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
EDIT=$YK_BIN/docedit
ESC=$'\e'

expect_rc 0 yk department add 정책기획과
"$EDIT" "$EX" 'title="붉은 \u001b[31m글씨\u001b]0;owned\u0007"' >"$T/esc.json"
expect_rc 6 yk apply -f "$T/esc.json"
grep -q "title: contains the control character U+001B" "$T/err" || fail "escape in a title: $(cat "$T/err")"
"$EDIT" "$EX" 'title="오른쪽에서 \u202e왼쪽으로"' >"$T/bidi.json"
expect_rc 6 yk apply -f "$T/bidi.json"
grep -q "U+202E" "$T/err" || fail "bidi override in a title: $(cat "$T/err")"
"$EDIT" "$EX" 'title="두 줄\n제목"' >"$T/nl.json"
expect_rc 6 yk apply -f "$T/nl.json"
grep -q "title: contains the control character U+000A" "$T/err" || fail "a line break in a title: $(cat "$T/err")"
"$EDIT" "$EX" 'overview.contents[0]="첫 줄\n둘째 줄"' >"$T/para.json"
expect_rc 0 yk apply -f "$T/para.json"
pass "control characters refused in a document with their path; a paragraph may break lines, a title may not"

expect_rc 6 yk department add "$(printf '복지과\n정책기획과')"
grep -q "U+000A" "$T/err" || fail "a department name with a line break: $(cat "$T/err")"
expect_rc 6 yk department add "정책기획과$(printf '\u200b')"
grep -q "U+200B" "$T/err" || fail "a department name with a zero-width space: $(cat "$T/err")"
expect_rc 6 yk progress add SW7-GOV-01 --indicator "협치 계획 수립" --text "보고${ESC}[2J"
grep -q "U+001B" "$T/err" || fail "escape in a progress item: $(cat "$T/err")"
expect_rc 0 yk progress add SW7-GOV-01 --indicator "협치 계획 수립" --text "$(printf '여러 줄\n보고')"
pass "names refuse line breaks and invisible characters; progress items refuse escapes"

# Put an escape sequence in behind the daemon's back, as an old row might
# hold one: the CLI shows it as U+FFFD, JSON keeps it escaped.
owner_psql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$YK_OWNER_CONNINFO" "$@"; }
owner_psql -c "UPDATE pledges SET title = '붉은 ' || chr(27) || '[31m글씨' || chr(155) || '2J' WHERE code = 'SW7-GOV-01';
	UPDATE pledge_versions v SET document = jsonb_set(v.document::jsonb, '{title}',
		to_jsonb('붉은 ' || chr(27) || '[31m글씨' || chr(155) || '2J'))::json
	FROM pledges p WHERE p.id = v.pledge_id AND p.code = 'SW7-GOV-01' AND v.version = p.version" ||
	fail "psql"
no_controls() {  # FILE: no ESC, no C1 CSI, but the replacement shown
	! grep -q "$ESC" "$1" && ! grep -q $'\xc2\x9b' "$1" && grep -q $'\xef\xbf\xbd' "$1"
}
for cmd in "list" "show SW7-GOV-01" "show SW7-GOV-01 --format markdown" "list -o csv"; do
	# shellcheck disable=SC2086
	yk $cmd >"$T/shown" 2>&1 || fail "yaksok $cmd"
	no_controls "$T/shown" || fail "yaksok $cmd printed a control character raw: $(od -c "$T/shown" | grep -m1 '033')"
done
yk get SW7-GOV-01 >"$T/doc.yaml" || fail "get"
! grep -q "$ESC" "$T/doc.yaml" && ! grep -q $'\xc2\x9b' "$T/doc.yaml" || fail "YAML output holds a raw control character"
grep -q 'title: "붉은 \\e\[31m글씨\\x9B2J"' "$T/doc.yaml" || fail "YAML output lost the escaped characters: $(grep title "$T/doc.yaml")"
yk get SW7-GOV-01 -o json >"$T/doc.json" || fail "get -o json"
grep -q '\\u001b\[31m' "$T/doc.json" || fail "JSON output lost the escaped character"
! grep -q "$ESC" "$T/doc.json" || fail "JSON output holds a raw escape"
pass "stored control characters are printed as U+FFFD by list and show; YAML and JSON keep them, escaped"

# the server's own messages go through the same filter
expect_rc 6 yk get "NO-${ESC}[31m"
! grep -q "$ESC" "$T/err" || fail "an error message printed an escape raw"
pass "error messages are filtered too"
