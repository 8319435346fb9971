#!/usr/bin/env bash
# An admin manages accounts when someone leaves or a password leaks: a new
# password, disabling and enabling, ending sessions, listing them -- each one
# audited, none open to anyone but an admin.
source "$(dirname "$0")/lib.sh"
setup_all
expect_rc 0 yk department add 복지과
echo pw-kim-first | expect_rc 0 yk user add kim --role department --department 복지과 --password-stdin
echo pw-kim-first | YK_USER=kim expect_rc 0 yk login kim --password-stdin
K() { YK_USER=kim yk "$@"; }
expect_rc 0 K whoami

expect_rc 0 yk user sessions kim
grep -q "^kim .*127.0.0.1" "$T/out" || fail "kim's session is not listed: $(cat "$T/out")"
expect_rc 0 yk user sessions -o json
grep -q '"login": "admin"' "$T/out" && grep -q '"login": "kim"' "$T/out" || fail "every session: $(cat "$T/out")"
grep -qi "token" "$T/out" && fail "a token in the session list"
expect_rc 5 K user sessions
pass "an admin lists the sessions that hold (who, since, until, from where); nobody else may"

echo pw-kim-second | expect_rc 0 yk user passwd kim --password-stdin
grep -q "account kim: new password; 1 session ended" "$T/out" || fail "passwd: $(cat "$T/out")"
expect_rc 5 K whoami
echo pw-kim-first | YK_USER=kim expect_rc 5 yk login kim --password-stdin
echo pw-kim-second | YK_USER=kim expect_rc 0 yk login kim --password-stdin
pass "a new password ends the sessions; the old one no longer works, the new one does"

expect_rc 0 yk user disable kim
grep -q "account kim: disabled; 1 session ended" "$T/out" || fail "disable: $(cat "$T/out")"
expect_rc 5 K whoami
echo pw-kim-second | YK_USER=kim expect_rc 5 yk login kim --password-stdin
grep -q "unknown login or wrong password" "$T/err" || fail "a disabled account's login says no more than a wrong one: $(cat "$T/err")"
expect_rc 0 yk user list
grep -q "^kim .*disabled" "$T/out" || fail "user list shows the state: $(cat "$T/out")"
expect_rc 0 yk user enable kim
echo pw-kim-second | YK_USER=kim expect_rc 0 yk login kim --password-stdin
expect_rc 0 K whoami
pass "a disabled account cannot log in and has no session; enabled again, it can"

expect_rc 0 yk user revoke kim
grep -q "1 session ended" "$T/out" || fail "revoke: $(cat "$T/out")"
expect_rc 5 K whoami
pass "revoke ends an account's sessions"

expect_rc 6 yk user disable admin
grep -q "cannot disable the account you are using" "$T/err" || fail "self-disable: $(cat "$T/err")"
expect_rc 3 yk user disable nobody
echo pw-kim-second | YK_USER=kim expect_rc 0 yk login kim --password-stdin
expect_rc 5 K user disable admin
echo short | expect_rc 6 yk user passwd kim --password-stdin
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE op = 'user_change' AND outcome = 'accepted'")" = 4 ] ||
	fail "not one audit row per change"
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE op = 'user_change' AND outcome = 'refused'")" -ge 3 ] ||
	fail "refused changes are not audited"
expect_rc 0 yk audit verify
pass "no disabling oneself; only an admin changes accounts; every change and refusal audited"

# an account locked by failed logins (strangers' guesses, from its owner's
# address here) is unlocked by an admin, and its owner logs in at once
for _ in 1 2 3 4 5; do echo wrong-password | YK_USER=kim expect_rc 5 yk login kim --password-stdin; done
echo pw-kim-second | YK_USER=kim expect_rc 5 yk login kim --password-stdin
grep -q "too many failed logins" "$T/err" || fail "kim is not locked: $(cat "$T/err")"
expect_rc 5 K user unlock kim
expect_rc 0 yk user unlock kim
grep -q "kim: failed logins cleared" "$T/out" || fail "unlock: $(cat "$T/out")"
echo pw-kim-second | YK_USER=kim expect_rc 0 yk login kim --password-stdin
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE op = 'user_change' AND message LIKE '%failed logins cleared%'")" = 1 ] ||
	fail "the unlock is not audited"
pass "an admin unlocks an account locked by failed logins; audited"
