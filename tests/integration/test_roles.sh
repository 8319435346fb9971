#!/usr/bin/env bash
# The role matrix: every role against every operation, allowed (exit 0) or
# refused (exit 5) by the daemon -- including a department editing another
# department's pledge -- and the SQL itself refusing a department write that
# slipped past the daemon.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
EDIT=$YK_BIN/docedit

expect_rc 0 yk department add 정책기획과
expect_rc 0 yk department add 복지정책과
expect_rc 0 yk department add 교통정책과
ROLES="admin coordinator deptown deptother evaluator approver viewer"
declare -A ROLE=([coordinator]=coordinator [deptown]=department [deptother]=department [evaluator]=evaluator [approver]=approver [viewer]=viewer)
declare -A DEPT=([deptown]=정책기획과 [deptother]=복지정책과)
for r in $ROLES; do
	[ "$r" = admin ] && continue
	args=(--role "${ROLE[$r]}")
	[ -n "${DEPT[$r]:-}" ] && args+=(--department "${DEPT[$r]}")
	echo "pw-$r-12345" | expect_rc 0 yk user add "$r" "${args[@]}" --password-stdin
	echo "pw-$r-12345" | YK_USER=$r expect_rc 0 yk login "$r" --password-stdin
done

# fixtures: one pledge to read and change, one per role to submit and to review
"$EDIT" "$EX" 'code="OWN-1"' 'as_of="2029-12-31"' >"$T/own.json"
expect_rc 0 yk apply -f "$T/own.json"
expect_rc 0 yk round open 2029 --as-of 2029-12-31 --due 2099-12-31
# approved, so that a viewer has a version to read
expect_rc 0 yk submit OWN-1 --round 2029
expect_rc 0 yk review OWN-1 --round 2029 --approve
for r in $ROLES; do
	"$EDIT" "$EX" "code=\"S-${r^^}\"" 'as_of="2029-12-31"' >"$T/s.json"
	expect_rc 0 yk apply -f "$T/s.json"
	"$EDIT" "$EX" "code=\"V-${r^^}\"" 'as_of="2029-12-31"' >"$T/v.json"
	expect_rc 0 yk apply -f "$T/v.json"
	expect_rc 0 yk submit "V-${r^^}" --round 2029
done

# operation -> the roles that may do it
declare -A MAY=(
	[department_add]="admin"
	[user_add]="admin"
	[user_list]="admin"
	[department_list]="$ROLES"
	[apply_new]="admin coordinator deptown"
	[apply_other_dept]="admin coordinator"
	[get]="$ROLES"
	[list]="$ROLES"
	[show]="$ROLES"
	[history]="$ROLES"
	[status_set]="admin coordinator deptown"
	[progress_add]="admin coordinator deptown"
	[evaluation_add]="admin coordinator evaluator"
	[round_open]="admin coordinator"
	[round_close]="admin coordinator"
	[submit]="admin coordinator deptown"
	[review]="admin coordinator approver"
	[audit_verify]="admin coordinator"
	[target_judge]="admin coordinator"
)
n=0
year=2030
# a round for each role to try to close
for i in $(seq 1 $(echo $ROLES | wc -w)); do
	expect_rc 0 yk round open $((year + 20 + i)) --as-of "$((year + 20 + i))-12-31" --due "$((year + 20 + i))-12-31"
done
for r in $ROLES; do
	year=$((year + 1))
	U=${r^^}
	"$EDIT" "$EX" "code=\"NEW-$U\"" 'status="in_progress"' >"$T/new.json"
	"$EDIT" "$EX" "code=\"OTH-$U\"" 'department="교통정책과"' >"$T/oth.json"
	for op in "${!MAY[@]}"; do
		case $op in
		department_add) cmd=(department add "과-$r") ;;
		user_add) cmd=(user add "made-by-$r" --role viewer --password-stdin) ;;
		user_list) cmd=(user list) ;;
		department_list) cmd=(department list) ;;
		apply_new) cmd=(apply -f "$T/new.json") ;;
		apply_other_dept) cmd=(apply -f "$T/oth.json") ;;
		get) cmd=(get OWN-1) ;;
		list) cmd=(list) ;;
		show) cmd=(show OWN-1) ;;
		history) cmd=(history OWN-1) ;;
		status_set) cmd=(status set OWN-1 --progress 50) ;;
		progress_add) cmd=(progress add OWN-1 --indicator "협치 계획 수립" --text "by $r") ;;
		evaluation_add) cmd=(evaluation add OWN-1 --suggestion "by $r") ;;
		round_open) cmd=(round open "$year" --as-of "$year-12-31" --due "$year-12-31") ;;
		round_close) cmd=(round close $((year + 20))) ;;
		submit) cmd=(submit "S-$U" --round 2029) ;;
		review) cmd=(review "V-$U" --round 2029 --approve) ;;
		audit_verify) cmd=(audit verify) ;;
		target_judge) cmd=(target judge OWN-1 --year "$year" --met --reason "by $r") ;;
		esac
		want=5
		for ok in ${MAY[$op]}; do [ "$ok" = "$r" ] && want=0; done
		echo "password-x1" | YK_USER=$r expect_rc "$want" yk "${cmd[@]}"
		n=$((n + 1))
	done
done
pass "$n role x operation checks"

# a department cannot touch another department's pledge in any way
yk get OWN-1 >"$T/own.yaml"
YK_USER=deptother expect_rc 5 yk apply -f "$T/own.yaml"
sed 's/^department: .*/department: 복지정책과/' "$T/own.yaml" >"$T/moved.yaml"
YK_USER=deptother expect_rc 5 yk apply -f "$T/moved.yaml"
YK_USER=deptother expect_rc 5 yk budget set OWN-1 --source city --period 2021 --executed 1
YK_USER=deptother expect_rc 5 yk indicator set OWN-1 --indicator "협치 계획 수립" --period 2021-Q1 --actual 1
YK_USER=deptother expect_rc 5 yk evaluation answer OWN-1 1 --text "x"
pass "one department editing another's pledge is refused every way"

# the SQL carries the department condition too: a write that names a
# department straight to the function is refused by PostgreSQL itself
other=$(ykpsql -c "SELECT id FROM departments WHERE name = '복지정책과'")
acct=$(ykpsql -c "SELECT id FROM accounts WHERE login = 'deptother'")
doc=$(yk get OWN-1 -o json | "$EDIT" /dev/stdin 'version=-' 'updated_at=-' 'updated_by=-' 'derived=-' 2>/dev/null || true)
[ -n "$doc" ] || doc=$(yk get OWN-1 -o json)
if ykpsql -c "SELECT yk_pledge_apply('{\"account_id\": $acct, \"op\": \"pledge_apply\"}', \$doc\$$doc\$doc\$, NULL, true, $other, false, NULL)" 2>"$T/sqlerr"; then
	fail "the database let a department overwrite another department's pledge"
fi
grep -q "only write pledges of its own department\|belongs to another department" "$T/sqlerr" || fail "sql refusal: $(cat "$T/sqlerr")"
pass "the SQL refuses another department's pledge by itself"

# every refusal above is in the audit trail
refused=$(ykpsql -c "SELECT count(*) FROM audit_log WHERE outcome = 'refused' AND status = 'PERMISSION_DENIED'")
[ "$refused" -ge 40 ] || fail "only $refused permission refusals audited"
expect_rc 0 yk audit verify
pass "refusals are audited ($refused) and the chain verifies"
