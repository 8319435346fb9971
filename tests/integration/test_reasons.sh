#!/usr/bin/env bash
# Every refusal carries a machine-readable reason beside its message
# (Response.reason, proto/yaksok.proto), and the CLI gives it to a program
# with -o json: one {"error": …} object on stderr with the status, the reason,
# the message and the violations.  One case per cause a client acts on
# differently; the wire-level ones (HELLO_REQUIRED, MALFORMED, TOO_LARGE,
# PROTOCOL_VERSION) are in it_wire.c.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
EDIT=$YK_BIN/docedit

# expect_reason RC REASON cmd...: the command exits RC and its -o json error
# names REASON (and its status, message, violations are there as JSON)
expect_reason() {
	local rc=$1 reason=$2
	shift 2
	expect_rc "$rc" "$@" -o json
	tail -n 1 "$T/err" | jq -e --arg r "$reason" \
		'.error.reason == $r and (.error.status | type == "string") and (.error.message | length > 0)' >/dev/null || fail "expected reason $reason from '$*', got: $(cat "$T/err")"
}

expect_rc 0 yk department add 정책기획과
expect_rc 0 yk department add 복지정책과
add_user dept department 정책기획과
add_user other department 복지정책과
add_user coord coordinator 정책기획과
D() { YK_USER=dept yk "$@"; }
O() { YK_USER=other yk "$@"; }
C() { YK_USER=coord yk "$@"; }
expect_rc 0 yk apply -f "$EX"

expect_reason 3 REASON_NOT_FOUND yk get NO-SUCH
expect_reason 3 REASON_NOT_APPROVED yk get SW7-GOV-01 --approved
expect_reason 4 REASON_ALREADY_EXISTS yk department add 정책기획과
"$EDIT" "$EX" 'title=""' >"$T/bad.json"
expect_reason 6 REASON_INVALID D apply -f "$T/bad.json"
jq -e '.error.violations | length > 0 and all(.path and .problem)' "$T/err" >/dev/null ||
	fail "violations in the JSON error: $(cat "$T/err")"
expect_reason 5 REASON_FORBIDDEN O status set SW7-GOV-01 --progress 10
expect_reason 5 REASON_FORBIDDEN D department add 교통정책과
pass "NOT_FOUND, NOT_APPROVED, ALREADY_EXISTS, INVALID (with violations), FORBIDDEN"

# an apply based on an old version
expect_rc 0 D get SW7-GOV-01 -o json
cp "$T/out" "$T/old.json"
expect_rc 0 D status set SW7-GOV-01 --progress 41
expect_reason 4 REASON_VERSION_CONFLICT D apply -f "$T/old.json"
# a guarded field goes through a change request
expect_rc 0 D get SW7-GOV-01 -o json
cp "$T/out" "$T/cur.json"
"$EDIT" "$T/cur.json" 'target_month="2030-12"' >"$T/plan.json"
expect_reason 5 REASON_CHANGE_REQUEST_REQUIRED D apply -f "$T/plan.json"
expect_reason 6 REASON_NO_CHANGE D change propose SW7-GOV-01 -f "$T/cur.json" --reason "같음"
pass "VERSION_CONFLICT, CHANGE_REQUEST_REQUIRED, NO_CHANGE"

# the workflow's states
expect_rc 0 C round open 2021-Q2 --as-of 2021-06-30 --due 2099-07-10
expect_rc 0 D status set SW7-GOV-01 --progress 42
expect_rc 0 D submit SW7-GOV-01 --round 2021-Q2
expect_reason 4 REASON_WRONG_STATE D submit SW7-GOV-01 --round 2021-Q2
expect_rc 0 C round close 2021-Q2
expect_reason 4 REASON_WRONG_STATE C round close 2021-Q2
pass "WRONG_STATE: submitted twice, a round closed twice"

# sessions and logins
echo "wrong-password" >"$T/wrong"
expect_rc 5 yk login dept --password-stdin <"$T/wrong"
grep -q 'op=login user=- status=UNAUTHENTICATED reason=REASON_BAD_CREDENTIALS' "$T/yaksokd.log" ||
	fail "a wrong password's reason: $(grep op=login "$T/yaksokd.log" | tail -3)"
expect_rc 0 D logout
expect_reason 5 REASON_NOT_LOGGED_IN D whoami
pass "BAD_CREDENTIALS, NOT_LOGGED_IN"

# without -o json the same refusal is the message alone, for a person
expect_rc 3 yk get NO-SUCH
grep -q '^yaksok: no pledge has the code NO-SUCH$' "$T/err" || fail "the text error: $(cat "$T/err")"
pass "without -o json, the message a person reads"
