#!/usr/bin/env bash
# Changing a promise the way cities must: a department proposes, the
# coordinator forwards or returns, the committee deliberates, the approver
# approves or rejects; section 5 records the approved change.  Guarded fields
# refused on direct apply; completion proposed and confirmed in a round; a
# stale proposal refused at approval; every step in the history.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
EDIT=$YK_BIN/docedit

expect_rc 0 yk department add 정책기획과
expect_rc 0 yk department add 노인복지과
add_user dept department 정책기획과
add_user other department 노인복지과
add_user coord coordinator 정책기획과
add_user eval evaluator
add_user mayor approver
add_user viewer viewer
D() { YK_USER=dept yk "$@"; }
C() { YK_USER=coord yk "$@"; }
E() { YK_USER=eval yk "$@"; }
M() { YK_USER=mayor yk "$@"; }
O() { YK_USER=other yk "$@"; }
V() { YK_USER=viewer yk "$@"; }

# a pledge in progress, due 2021-12, with no changes recorded yet
"$EDIT" "$EX" 'code="P-1"' 'status="in_progress"' 'progress_pct=40' 'target_month="2021-12"' >"$T/p1.json"
expect_rc 0 D apply -f "$T/p1.json"

# ---------------------------------------------------------------- guarded fields
expect_rc 0 D get P-1 -o json
cp "$T/out" "$T/cur.json"
"$EDIT" "$T/cur.json" 'status="dropped"' >"$T/drop.json"
expect_rc 5 D apply -f "$T/drop.json"
grep -q "status" "$T/err" && grep -q "yaksok change propose" "$T/err" || fail "dropped refused naming the command: $(cat "$T/err")"
"$EDIT" "$T/cur.json" 'target_month="2022-06"' >"$T/month.json"
expect_rc 5 D apply -f "$T/month.json"
grep -q "target_month" "$T/err" && grep -q "yaksok change propose P-1" "$T/err" || fail "target month: $(cat "$T/err")"
"$EDIT" "$T/cur.json" 'overview.contents[0]="다른 내용"' >"$T/contents.json"
expect_rc 5 D apply -f "$T/contents.json"
grep -q "overview.contents" "$T/err" || fail "contents: $(cat "$T/err")"
"$EDIT" "$T/cur.json" 'indicator_sets[0].indicators[0].name="다른 지표"' >"$T/ind.json"
expect_rc 5 D apply -f "$T/ind.json"
grep -q "indicator_sets" "$T/err" || fail "indicator plan: $(cat "$T/err")"
expect_rc 5 D status set P-1 --status on_hold
grep -q "change propose" "$T/err" || fail "status set on_hold: $(cat "$T/err")"
# section 5 is the record of approved changes: a department cannot invent an
# entry (nor rewrite or erase one: below, once an approval wrote some)
"$EDIT" "$T/cur.json" 'changes=[{"date": "2021-01-01", "item": "목표연월", "before": "2021. 12.", "after": "2020. 12.", "reason": "가짜"}]' >"$T/sec5.json"
expect_rc 5 D apply -f "$T/sec5.json"
grep -q "changes" "$T/err" && grep -q "change propose P-1" "$T/err" || fail "section 5 invented: $(cat "$T/err")"
# what a department reports each quarter is still its own to write
"$EDIT" "$T/cur.json" 'indicator_sets[1].indicators[0].actuals={"2021-Q1": 1}' 'remarks="분기 보고"' >"$T/ok.json"
expect_rc 0 D apply -f "$T/ok.json"
expect_rc 0 D status set P-1 --progress 45
expect_rc 0 yk get P-1 -o json
grep -q '"version": 3' "$T/out" || fail "two accepted writes: $(cat "$T/out")"
grep -q '"target_month": "2021-12"' "$T/out" || fail "target month unchanged"
pass "guarded fields refused on a department's direct write (exit 5, naming the command); reported figures accepted"

# nor is a new pledge born finished, shelved or dropped, or with section 5 entries
for st in completed completed_ongoing on_hold dropped; do
	"$EDIT" "$EX" 'code="P-NEW"' "status=\"$st\"" >"$T/new.json"
	expect_rc 5 D apply -f "$T/new.json"
	grep -q "status: a department creates a pledge" "$T/err" || fail "new pledge $st: $(cat "$T/err")"
done
"$EDIT" "$EX" 'code="P-NEW"' 'status="in_progress"' 'changes=[{"date": "2021-01-01", "item": "x"}]' >"$T/new.json"
expect_rc 5 D apply -f "$T/new.json"
grep -q "changes: section 5" "$T/err" || fail "new pledge with section 5: $(cat "$T/err")"
expect_rc 3 D get P-NEW
"$EDIT" "$EX" 'code="P-NEW"' 'status="completed"' >"$T/new.json"
expect_rc 0 C apply -f "$T/new.json"
pass "a department cannot create a pledge already completed, shelved or dropped, or with section 5 entries; a coordinator can"

# a coordinator is not a department; an admin may override (audited)
"$EDIT" "$T/ok.json" 'version=3' 'remarks="관리자 정정"' >"$T/admin.json"
expect_rc 0 yk apply -f "$T/admin.json"
expect_rc 0 yk history P-1
grep -q "admin .*pledge_apply" "$T/out" || fail "admin's write in the history: $(cat "$T/out")"
pass "admin writes are not held to the guard and are in the history"

# ---------------------------------------------------------------- the whole chain
expect_rc 0 D get P-1 -o json
"$EDIT" "$T/out" 'target_month="2022-06"' >"$T/prop.json"
printf '회의록: 2021. 5. 3. 좋은시정위원회\n' >"$T/회의록.txt"
expect_rc 6 D change propose P-1 -f "$T/prop.json" --reason ""
expect_rc 2 D change propose P-1 -f "$T/prop.json"
expect_rc 5 O change propose P-1 -f "$T/prop.json" --reason "남의 사업"
expect_rc 0 D change propose P-1 -f "$T/prop.json" --reason "국비 확보 지연으로 사업기간 연장" --evidence "$T/회의록.txt"
grep -q "change request #1 (change) for P-1: proposed" "$T/out" || fail "proposed: $(cat "$T/out")"
grep -q "목표연월: 2021.12. -> 2022.06." "$T/out" || fail "card diff: $(cat "$T/out")"
# the pledge itself has not changed
expect_rc 0 yk get P-1 -o json
grep -q '"target_month": "2021-12"' "$T/out" || fail "a proposal does not change the pledge"
# one open request at a time
expect_rc 4 D change propose P-1 -f "$T/prop.json" --reason "again"
pass "a department proposes with reason and evidence; the pledge is unchanged"

# roles: each step belongs to one role
expect_rc 5 D change review 1 --forward
expect_rc 5 E change review 1 --forward
expect_rc 5 M change review 1 --forward
expect_rc 5 V change withdraw 1
# out of order: nothing to approve yet
expect_rc 4 yk change approve 1
grep -q "proposed: it cannot be approved" "$T/err" || fail "approve before deliberation: $(cat "$T/err")"

# the coordinator returns it; the department resubmits
expect_rc 2 C change review 1 --return
expect_rc 0 C change review 1 --return --comment "증빙 보완 필요"
grep -q ": returned" "$T/out" || fail "returned: $(cat "$T/out")"
expect_rc 4 C change review 1 --forward
expect_rc 0 D change propose P-1 -f "$T/prop.json" --reason "국비 확보 지연으로 사업기간 연장 (보완)" --resubmit 1 --evidence "$T/회의록.txt"
grep -q "#1 (change) for P-1: proposed" "$T/out" || fail "resubmitted: $(cat "$T/out")"
expect_rc 0 C change review 1 --forward --comment "위원회 상정"
expect_rc 2 E change deliberate 1
expect_rc 0 E change deliberate 1 --opinion "연장 타당" --for 7 --against 1 --abstain 0
grep -q ": deliberated" "$T/out" || fail "deliberated: $(cat "$T/out")"
expect_rc 6 M change approve 1 --effective 2999-01-01
grep -q "effective: 2999-01-01 is in the future" "$T/err" || fail "a future --effective: $(cat "$T/err")"
expect_rc 2 E change deliberate 1 --opinion x --effective 2021-06-15
expect_rc 0 M change approve 1 --comment "승인" --effective 2021-06-15
grep -q ": approved" "$T/out" && grep -q "applied as version 5" "$T/out" || fail "approved: $(cat "$T/out")"
expect_rc 4 M change approve 1
pass "propose, return, resubmit, forward, deliberate, approve through the CLI"

# the change is applied and recorded in section 5
expect_rc 0 yk get P-1 -o json
grep -q '"target_month": "2022-06"' "$T/out" || fail "target month applied"
python3 - "$T/out" <<'EOF' || fail "section 5 entry"
import json, sys
d = json.load(open(sys.argv[1]))
ch = d["changes"]
assert ch == [{"date": "2021-06-15", "item": "목표연월", "before": "2021.12.", "after": "2022.06.",
               "reason": "국비 확보 지연으로 사업기간 연장 (보완)", "decided_by": "mayor", "opinion": "연장 타당",
               "votes_for": 7, "votes_against": 1, "votes_abstain": 0}], ch
EOF
expect_rc 0 yk show P-1
grep -q "5. 사업변경내역" "$T/out" || fail "show has section 5"
grep -q "목표연월" "$T/out" && grep -q "2021.12." "$T/out" && grep -q "2022.06." "$T/out" \
	&& grep -q "국비 확보 지연으로 사업기간 연장 (보완)" "$T/out" || fail "show lists the change: $(cat "$T/out")"
grep -q "2021. 6.15." "$T/out" || fail "show does not date the change as decided: $(grep -A3 '5. 사업' "$T/out")"
grep -q "위원회 심의: 찬성 7, 반대 1, 기권 0, 의견 연장 타당" "$T/out" && grep -q "승인: mayor" "$T/out" ||
	fail "show lacks the committee's vote and the approver: $(grep -A8 '5. 사업' "$T/out")"
pass "section 5 as decided: dated --effective, with the committee's vote and opinion and the approver, in the document and the card"

# what the approval recorded, the department can neither rewrite nor erase
expect_rc 0 D get P-1 -o json
cp "$T/out" "$T/after.json"
"$EDIT" "$T/after.json" 'changes[0].reason="다른 사유"' >"$T/sec5.json"
expect_rc 5 D apply -f "$T/sec5.json"
grep -q "changes" "$T/err" || fail "section 5 rewritten: $(cat "$T/err")"
"$EDIT" "$T/after.json" 'changes=[]' >"$T/sec5.json"
expect_rc 5 D apply -f "$T/sec5.json"
expect_rc 0 yk get P-1 -o json
grep -q "국비 확보 지연으로 사업기간 연장 (보완)" "$T/out" && ! grep -q "다른 사유" "$T/out" || fail "section 5 was changed"
pass "section 5 is written by approvals only: a department's apply that invents, rewrites or erases an entry is refused"

expect_rc 0 yk change show 1
for w in "state:    approved" "applied as version 5" "회의록.txt" "propose .*dept .*department" "return .*coord .*증빙 보완 필요" \
	 "resubmit .*dept" "forward .*coord" "deliberate .*eval .*찬성 7, 반대 1, 기권 0 .*연장 타당" "approve .*mayor .*approver" \
	 "target_month: \"2021-12\" -> \"2022-06\""; do
	grep -q "$w" "$T/out" || fail "change show lacks \"$w\": $(cat "$T/out")"
done
SHA=$(sha256sum "$T/회의록.txt" | cut -d' ' -f1)
grep -q "$SHA" "$T/out" || fail "evidence hash"
expect_rc 0 yk history P-1
for w in "dept .*change_propose: change request #1 proposed: 목표연월" "coord .*change_step: change request #1 returned: 증빙 보완 필요" \
	 "dept .*change_propose: change request #1 resubmitted" "coord .*change_step: change request #1 forwarded" \
	 "eval .*change_step: change request #1 deliberated: 연장 타당" "mayor .*change_step: change request #1 approved" \
	 "mayor .*target_month: \"2021-12\" -> \"2022-06\""; do
	grep -q "$w" "$T/out" || fail "history lacks \"$w\": $(cat "$T/out")"
done
pass "change show and history show each step and its person"

# ---------------------------------------------------------------- rejection, stale, withdraw
expect_rc 0 D get P-1 -o json
"$EDIT" "$T/out" 'status="dropped"' >"$T/drop2.json"
expect_rc 0 D change propose P-1 -f "$T/drop2.json" --reason "사업 여건 변화"
grep -q "추진상태: 정상추진 -> 폐기" "$T/out" || fail "drop proposal: $(cat "$T/out")"
expect_rc 0 C change review 2 --forward
expect_rc 0 E change deliberate 2 --opinion "폐기 반대" --for 1 --against 6
expect_rc 2 M change reject 2
expect_rc 0 M change reject 2 --comment "시민 약속 유지"
grep -q ": rejected" "$T/out" || fail "rejected"
expect_rc 0 yk get P-1 -o json
grep -q '"status": "in_progress"' "$T/out" || fail "a rejected change is not applied"
pass "a rejection leaves the pledge as it was"

expect_rc 0 D get P-1 -o json
"$EDIT" "$T/out" 'overview.contents[0]="협치 조례 전부개정"' >"$T/contents2.json"
expect_rc 0 D change propose P-1 -f "$T/contents2.json" --reason "조례 개정 반영"
expect_rc 0 C change review 3 --forward
expect_rc 0 E change deliberate 3 --opinion "타당"
# the department reports progress meanwhile: the proposal is now stale
expect_rc 0 D progress add P-1 --indicator "협치 계획 수립" --activity "새 활동" --text "진행"
expect_rc 0 yk change list --state deliberated
grep -q "deliberated (stale)" "$T/out" || fail "list marks it stale: $(cat "$T/out")"
expect_rc 4 M change approve 3
grep -q "resubmit" "$T/err" || fail "stale approval names resubmit: $(cat "$T/err")"
expect_rc 0 yk get P-1 -o json
grep -q "협치 조례 전부개정" "$T/out" && fail "a stale proposal was applied"
# rebased: propose again against the current version; the chain starts again
"$EDIT" "$T/out" 'overview.contents[0]="협치 조례 전부개정"' >"$T/contents3.json"
expect_rc 0 D change propose P-1 -f "$T/contents3.json" --reason "조례 개정 반영" --resubmit 3
expect_rc 4 M change approve 3
expect_rc 0 C change review 3 --forward
expect_rc 0 E change deliberate 3 --opinion "타당"
expect_rc 0 M change approve 3
expect_rc 0 yk get P-1 -o json
grep -q "협치 조례 전부개정" "$T/out" || fail "rebased proposal applied"
grep -q '"item": "사업내용"' "$T/out" || fail "contents change recorded in section 5"
pass "a stale proposal is refused at approval and goes through once rebased"

expect_rc 0 D get P-1 -o json
"$EDIT" "$T/out" 'target_month="2023-12"' >"$T/p4.json"
expect_rc 0 D change propose P-1 -f "$T/p4.json" --reason "재연장"
expect_rc 0 D change withdraw 4
grep -q ": withdrawn" "$T/out" || fail "withdrawn"
expect_rc 0 yk change list --code P-1
[ "$(grep -c "P-1" "$T/out")" = 4 ] || fail "four requests listed: $(cat "$T/out")"
expect_rc 0 yk change list --state approved -o json
python3 -c "import json,sys; r=json.load(open('$T/out')); assert [x['id'] for x in r]==[1,3], r" || fail "list json"
expect_rc 6 yk change list --state nonsense
expect_rc 3 yk change show 99
pass "withdraw; list with filters"

# ---------------------------------------------------------------- completion
expect_rc 0 C round open 2021-Q2 --as-of 2021-06-30 --due 2099-07-10
expect_rc 6 D status set P-1 --status completed
expect_rc 0 D status set P-1 --status completed --progress 100 --reason "조례 제정 완료"
grep -q "completion proposed as change request #5" "$T/out" || fail "completion proposal: $(cat "$T/out")"
expect_rc 0 yk get P-1 -o json
grep -q '"status": "in_progress"' "$T/out" || fail "a proposed completion does not change the pledge"
"$EDIT" "$T/out" 'status="completed"' >"$T/done.json"
expect_rc 5 D apply -f "$T/done.json"
grep -q "status set P-1 --status completed" "$T/err" || fail "apply completed names status set: $(cat "$T/err")"
expect_rc 5 D change confirm 5
# a completion is confirmed on evidence: without any it is refused, naming what to do
expect_rc 6 C change confirm 5
grep -q "confirmed on evidence" "$T/err" && grep -q -- "--evidence FILE" "$T/err" || fail "a completion without evidence: $(cat "$T/err")"
expect_rc 0 C change review 5 --return --comment "완료 증빙 필요"
echo "조례 공포문" >"$T/공포문.txt"
expect_rc 0 D status set P-1 --status completed --progress 100 --reason "조례 제정 및 위원회 구성 완료" --evidence "$T/공포문.txt"
grep -q "change request #6" "$T/out" || fail "second completion proposal: $(cat "$T/out")"
# the evaluators (a citizen panel) put their opinion on record; it stays proposed
expect_rc 0 E change deliberate 6 --opinion "시민평가단: 이행 완료 확인" --for 9 --against 0 --abstain 1
grep -q ": proposed" "$T/out" || fail "a completion's deliberation changed its state: $(cat "$T/out")"
expect_rc 0 D progress add P-1 --indicator "협치 계획 수립" --activity "새 활동" --text "완료 보고"
expect_rc 0 C change confirm 6
grep -q ": confirmed" "$T/out" && grep -q "confirmed in 2021-Q2" "$T/out" || fail "confirmed: $(cat "$T/out")"
expect_rc 0 yk get P-1 -o json
python3 - "$T/out" <<'EOF' || fail "completion applied with its section 5 entry"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "completed" and d["progress_pct"] == 100, (d["status"], d["progress_pct"])
last = d["changes"][-1]
assert last["item"] == "추진상태" and last["before"] == "정상추진" and last["after"] == "완료", last
assert "2021-Q2 완료 확인" in last["reason"], last
assert last["opinion"] == "시민평가단: 이행 완료 확인" and last["votes_for"] == 9 and last["decided_by"] == "coord", last
# the progress reported after the proposal is kept
assert any(i.get("text") == "완료 보고" for g in d["progress"]["by_indicator"] for a in g["activities"] for i in a["items"])
EOF
expect_rc 0 yk change show 6
grep -q "confirmed in 2021-Q2" "$T/out" || fail "change show carries the round"
grep -q "공포문.txt" "$T/out" || fail "change show lists the completion's evidence: $(cat "$T/out")"
expect_rc 0 yk history P-1
grep -q "coord .*completion request #6 confirmed in 2021-Q2" "$T/out" || fail "history of the confirmation: $(cat "$T/out")"
pass "completion: refused without evidence, returned, proposed again with evidence, the panel's opinion on record, confirmed in the open round, recorded in section 5"

# ---------------------------------------------------------------- published list
expect_rc 0 yk export --format html --out "$T/city.html"
grep -q "승인된 사업변경" "$T/city.html" || fail "the dashboard lists approved changes"
grep -q "국비 확보 지연으로 사업기간 연장" "$T/city.html" || fail "the dashboard lists the reason"
pass "export --format html publishes the approved changes"

# every step was written into the audit chain
expect_rc 0 yk audit verify
pass "the audit chain holds"
