#!/usr/bin/env bash
# Quick updates (progress add, indicator set, budget set, status set,
# evaluation add/answer): each one request applied to the current state,
# validated like a document, one version step; --if-version; idempotency keys
# (sequential and concurrent repeats, and a key reused for another request).
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$EX"
ver() { yk get SW7-GOV-01 -o json | sed -n 's/^  "version": \([0-9]*\),$/\1/p'; }

expect_rc 0 yk progress add SW7-GOV-01 --indicator "협치 계획 수립" --date 2021-04-20 --text "연구용역 착수"
grep -q "SW7-GOV-01 updated (version 2)" "$T/out" || fail "progress add: $(cat "$T/out")"
expect_rc 0 yk progress add SW7-GOV-01 --indicator "협치 백서" --activity "백서 발간 준비" --date 2021-05 --until 2021-06 --text "집필진 구성" --note "※ 외부 위원 2명"
expect_rc 6 yk progress add SW7-GOV-01 --indicator "협치 계획 수립" --date 2021-04-31 --text "잘못된 날"
grep -q "date: \"2021-04-31\" is not a date" "$T/err" || fail "bad date path: $(cat "$T/err")"
expect_rc 6 yk progress add SW7-GOV-01 --indicator "없는 지표" --text "x"
grep -q "activity: the heading" "$T/err" || fail "new heading without activity: $(cat "$T/err")"
yk get SW7-GOV-01 -o json >"$T/g.json"
grep -q '"text": "연구용역 착수"' "$T/g.json" || fail "progress item missing"
grep -q '"title": "백서 발간 준비"' "$T/g.json" || fail "new activity missing"
[ "$(ver)" = 3 ] || fail "version after two progress adds and two refusals: $(ver)"
pass "progress add (and its refusals, with paths)"

# A progress item is written as one row, and the new version's document is
# the previous one with the item added: it must be the document the rows make.
# The same as trees, and every map's keys in the same order: a period's or a
# source's place is the card's (the order of a message's fields is not, and
# jsonb would sort map keys too, shortest first).
MAPS='[(.budget.sources // {} | keys_unsorted), (.budget.sources // {} | .[] | .amounts // {} | keys_unsorted),
	(.indicator_sets // [] | .[] | (.indicators // [] | .[] | (.targets // {}, .actuals // {}) | keys_unsorted),
	(.cumulative_progress // {} | keys_unsorted))]'
same_as_rows() {
	[ "$(ykpsql -c "SELECT bool_and(v.document::jsonb = yk_pledge_document(p.id)::jsonb) FROM pledges p
		JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version")" = t ] ||
		fail "$1: the stored document is not the one its rows make"
	ykpsql -c "SELECT v.document FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id
		AND v.version = p.version ORDER BY p.code" | jq -c "$MAPS" >"$T/stored.maps" || fail "$1: stored documents"
	ykpsql -c "SELECT yk_pledge_document(p.id) FROM pledges p ORDER BY p.code" | jq -c "$MAPS" >"$T/rows.maps" ||
		fail "$1: the rows' documents"
	cmp -s "$T/stored.maps" "$T/rows.maps" ||
		fail "$1: the stored document's maps are not in the rows' order: $(diff "$T/stored.maps" "$T/rows.maps" | head -4)"
}
same_as_rows "after progress adds"
# The merge that makes them (yk_doc_with): the doc's keys keep their places,
# `parts` then `more` put theirs in (a key in both takes `more`'s value), a
# new key goes at the end, a null takes one out.
[ "$(ykpsql -c "SELECT (SELECT string_agg(k, ',') FROM json_object_keys(r) AS k) || ' ' ||
	(r::jsonb = '{\"c\": 4, \"d\": 6, \"v\": 7}') FROM yk_doc_with('{\"a\": 1, \"b\": 2, \"c\": 3}',
	'{\"c\": 4, \"d\": 5, \"a\": null}', '{\"d\": 6, \"v\": 7, \"b\": null}') AS r")" = "c,d,v true" ] ||
	fail "yk_doc_with does not merge its parts as its comment says"
# maps whose keys jsonb would put in another order: 2022 before 2021-H2,
# city before national
cat >"$T/order.yaml" <<'DOC'
schema: yaksok/pledge/v1
code: ORDER-1
title: 순서가 있는 공약
department: 정책기획과
status: in_progress
progress_pct: 10
budget:
  unit: 백만원
  periods: [2021-H2, "2022"]
  sources:
    national:
      amounts:
        2021-H2: {secured: 5, executed: 1}
        "2022": {planned: 7}
    city:
      amounts:
        2021-H2: {secured: 3}
        "2022": {planned: 2}
indicator_sets:
  - periods: [2021-H2, "2022"]
    indicators:
      - name: 순서 지표
        unit: 건
        targets: {2021-H2: 1, "2022": 2}
progress:
  by_indicator:
    - indicator: 순서 지표
      activities:
        - title: 첫 활동
          items:
            - text: 시작
DOC
expect_rc 0 yk apply -f "$T/order.yaml"
CARD_ORDER='[["national","city"],["2021-H2","2022"],["2021-H2","2022"],["2021-H2","2022"],[],[]]'
[ "$(yk get ORDER-1 -o json | jq -c "$MAPS")" = "$CARD_ORDER" ] ||
	fail "apply: the card's maps are not in its order: $(yk get ORDER-1 -o json | jq -c "$MAPS")"
expect_rc 0 yk progress add ORDER-1 --indicator "순서 지표" --text "다음"
same_as_rows "after a progress item on a card whose maps are in the card's order"
yk get ORDER-1 -o json >"$T/cached.json" || fail "get"
yk get ORDER-1 --at 2999-01-01T00:00:00+09:00 -o json >"$T/built.json" || fail "get --at"
cmp -s "$T/cached.json" "$T/built.json" || fail "the patched cache entry differs from the stored version: $(diff "$T/cached.json" "$T/built.json" | head -20)"
[ "$(jq -c "$MAPS" "$T/built.json")" = "$CARD_ORDER" ] ||
	fail "progress add: the card's maps are no longer in its order: $(jq -c "$MAPS" "$T/built.json")"
pass "maps keep the card's order through apply and progress add"
cat >"$T/bare.yaml" <<'DOC'
schema: yaksok/pledge/v1
code: BARE-1
title: 진행 없는 공약
department: 정책기획과
status: in_progress
progress_pct: 10
DOC
expect_rc 0 yk apply -f "$T/bare.yaml"
expect_rc 0 yk progress add BARE-1 --indicator "첫 제목" --activity "첫 활동" --date 2021-04 --until 2021-05-02 --label "①" --text "시작"
expect_rc 0 yk progress add BARE-1 --indicator "첫 제목" --text "같은 활동에" --note "비고"
expect_rc 0 yk progress add BARE-1 --indicator "첫 제목" --activity "둘째 활동" --text "새 활동"
expect_rc 0 yk progress add BARE-1 --indicator "둘째 제목" --activity "활동" --text "새 제목"
expect_rc 0 yk progress add BARE-1 --indicator "첫 제목" --activity "첫 활동" --text "첫 활동에 다시"
same_as_rows "after progress adds to a pledge without section 4"
yk get BARE-1 -o json >"$T/bare.json"
for t in 시작 "같은 활동에" "새 활동" "새 제목" "첫 활동에 다시"; do
	grep -q "\"text\": \"$t\"" "$T/bare.json" || fail "item $t missing: $(cat "$T/bare.json")"
done
# A read keeps the version built in the daemon's cache; the next item is
# added to that entry instead of building the document again.  What the cache
# then serves must be what a build from the database gives (get --at always
# builds).
for t in 하나 둘 셋; do
	yk get BARE-1 -o json >/dev/null || fail "get"
	expect_rc 0 yk progress add BARE-1 --indicator "셋째 제목" --activity "패치 $t" --text "$t"
	expect_rc 0 yk progress add BARE-1 --indicator "셋째 제목" --text "$t 다음"
done
yk get BARE-1 -o json >"$T/cached.json" || fail "get"
yk get BARE-1 --at 2999-01-01T00:00:00+09:00 -o json >"$T/built.json" || fail "get --at"
cmp -s "$T/cached.json" "$T/built.json" || fail "the patched cache entry differs from a build: $(diff "$T/cached.json" "$T/built.json" | head -20)"
[ "$(grep -c "event=read_cache_patched code=BARE-1" "$T/yaksokd.log")" -ge 3 ] || fail "the cache was not patched"
same_as_rows "after progress adds to cached versions"
# a heading that exists but has no activity needs one named, like a new heading
sed -e 's/^code: BARE-1$/code: BARE-2/' "$T/bare.yaml" >"$T/bare2.yaml"
printf 'progress:\n  by_indicator:\n    - indicator: 빈 제목\n' >>"$T/bare2.yaml"
expect_rc 0 yk apply -f "$T/bare2.yaml"
expect_rc 6 yk progress add BARE-2 --indicator "빈 제목" --text "x"
grep -q "activity: the heading" "$T/err" || fail "heading without activity: $(cat "$T/err")"
expect_rc 0 yk progress add BARE-2 --indicator "빈 제목" --activity "첫 활동" --text "x"
same_as_rows "after an item under a heading that had no activity"
expect_rc 4 yk progress add BARE-1 --if-version 3 --indicator "첫 제목" --text "늦음"
grep -q "is at version 12, not 3" "$T/err" || fail "if-version: $(cat "$T/err")"
pass "progress add writes one row; the stored document equals the rows' document"

expect_rc 0 yk indicator set SW7-GOV-01 --indicator "협치 계획 수립" --period 2021-Q1 --actual 1
expect_rc 0 yk indicator set SW7-GOV-01 --indicator "협치위원회 지원운영" --period 2021-Q2 --target 운영
expect_rc 3 yk indicator set SW7-GOV-01 --indicator "협치 계획 수립" --period 2030 --actual 1
expect_rc 3 yk indicator set SW7-GOV-01 --indicator "없는 지표" --period 2021-Q1 --actual 1
yk get SW7-GOV-01 -o json >"$T/g.json"
grep -q '"actuals": {' "$T/g.json" || fail "actuals missing"
grep -q '"2021-Q2": "운영"' "$T/g.json" || fail "target text missing"
expect_rc 6 yk indicator set SW7-GOV-01 --indicator "협치 계획 수립" --period 2021-Q1 --target "$(printf '운영\001')"
grep -q "^  value: " "$T/err" || fail "a control character in a cell: $(cat "$T/err")"
expect_rc 6 yk indicator set SW7-GOV-01 --indicator "협치 계획 수립" --period 2021-Q1 --target "$(printf '가%.0s' $(seq 1 101))"
grep -q "value: a cell holds a number or a short text" "$T/err" || fail "a long cell: $(cat "$T/err")"
same_as_rows "after indicator cells"
pass "indicator set"

# A cell is written as one row and section 3 built again in the database;
# the daemon puts that section into the version it holds built.  Periods new
# to an indicator's map come after the others, in the rows' order.
yk get ORDER-1 -o json >/dev/null || fail "get"
expect_rc 0 yk indicator set ORDER-1 --indicator "순서 지표" --period 2022 --actual 3
yk get ORDER-1 -o json >/dev/null || fail "get"
expect_rc 0 yk indicator set ORDER-1 --indicator "순서 지표" --period 2021-H2 --actual 1.50
expect_rc 0 yk indicator set ORDER-1 --indicator "순서 지표" --period 2022 --target 2.0
yk get ORDER-1 -o json >"$T/cached.json" || fail "get"
yk get ORDER-1 --at 2999-01-01T00:00:00+09:00 -o json >"$T/built.json" || fail "get --at"
cmp -s "$T/cached.json" "$T/built.json" || fail "the patched cache entry differs from the stored version: $(diff "$T/cached.json" "$T/built.json" | head -20)"
[ "$(grep -c "event=read_cache_patched code=ORDER-1" "$T/yaksokd.log")" -ge 3 ] || fail "the cache was not patched for cells"
[ "$(jq -c "$MAPS" "$T/built.json")" = '[["national","city"],["2021-H2","2022"],["2021-H2","2022"],["2021-H2","2022"],["2022","2021-H2"],[]]' ] ||
	fail "cells: the maps' order: $(jq -c "$MAPS" "$T/built.json")"
jq -e '.indicator_sets[0].indicators[0] | .actuals["2021-H2"] == 1.50 and .targets["2022"] == 2.0' "$T/built.json" >/dev/null ||
	fail "cells: $(jq -c '.indicator_sets' "$T/built.json")"
same_as_rows "after cells of a card whose maps are in the card's order"
pass "indicator set writes one row; the cache takes the section built again"

# Budget cells, the status and section 6 likewise: a row or two, the
# section built again, the cache patched -- a source new to the card after
# the others, as its rows are numbered.
n0=$(grep -c "event=read_cache_patched code=ORDER-1" "$T/yaksokd.log")
for step in "budget set ORDER-1 --source provincial --period 2022 --planned 4" \
	"budget set ORDER-1 --source national --period 2021-H2 --executed 2" \
	"status set ORDER-1 --status delayed --progress 20.5" \
	"evaluation add ORDER-1 --round 2021-H2 --committee 위원회 --suggestion '순서를 지킬 것'" \
	"evaluation answer ORDER-1 1 --text 지키겠음"; do
	yk get ORDER-1 -o json >/dev/null || fail "get"
	eval "expect_rc 0 yk $step"
done
yk get ORDER-1 -o json >"$T/cached.json" || fail "get"
yk get ORDER-1 --at 2999-01-01T00:00:00+09:00 -o json >"$T/built.json" || fail "get --at"
cmp -s "$T/cached.json" "$T/built.json" || fail "budget, status, evaluation: the patched cache entry differs from the stored version: $(diff "$T/cached.json" "$T/built.json" | head -20)"
[ "$(grep -c "event=read_cache_patched code=ORDER-1" "$T/yaksokd.log")" -ge $((n0 + 5)) ] || fail "the cache was not patched for each"
[ "$(jq -c "$MAPS" "$T/built.json")" = '[["national","city","provincial"],["2021-H2","2022"],["2021-H2","2022"],["2022"],["2021-H2","2022"],["2022","2021-H2"],[]]' ] ||
	fail "budget: the maps' order: $(jq -c "$MAPS" "$T/built.json")"
jq -e '.budget.sources.national.amounts["2021-H2"].executed == 2 and .status == "delayed" and .progress_pct == 20.5
	and .evaluations[0].actions[0].text == "지키겠음" and .evaluations[0].committee == "위원회"' "$T/built.json" >/dev/null ||
	fail "budget, status, evaluation: $(jq -c '{budget, status, progress_pct, evaluations}' "$T/built.json")"
same_as_rows "after budget cells, a status and section 6"
pass "budget, status and evaluation updates write rows; the cache takes the sections built again"

yk get SW7-GOV-01 -o json >"$T/before-budget.json"
expect_rc 0 yk budget set SW7-GOV-01 --source city --period 2021 --executed 12.5
yk get SW7-GOV-01 -o json >"$T/after-budget.json"
"$YK_BIN/doccmp" "$T/before-budget.json" "$T/after-budget.json" budget ||
	fail "a budget update changed something besides the budget"
"$YK_BIN/doccmp" "$T/before-budget.json" "$T/after-budget.json" >/dev/null && fail "the budget did not change"
expect_rc 6 yk budget set SW7-GOV-01 --source city --period 2021 --executed 40
grep -q "budget.sources.city.amounts.2021.executed: 40 exceeds secured 29" "$T/err" || fail "budget rule: $(cat "$T/err")"
expect_rc 6 yk budget set SW7-GOV-01 --source national --period 2030 --planned 1
grep -q "budget.sources.national.amounts.2030: 2030 is not one of budget.periods" "$T/err" || fail "budget period: $(cat "$T/err")"
expect_rc 2 yk budget set SW7-GOV-01 --source city --period 2021 --executed abc
yk get SW7-GOV-01 -o json >"$T/g.json"
grep -q '"executed": 12.5' "$T/g.json" || fail "budget cell not set"
grep -q '"execution_rate_pct": 46.03' "$T/g.json" || fail "derived should not move for a current-period execution"
pass "budget set (executed > secured refused)"

v=$(ver)
expect_rc 0 yk status set SW7-GOV-01 --status in_progress --progress 90 --if-version "$v"
expect_rc 4 yk status set SW7-GOV-01 --progress 95 --if-version "$v"
grep -q "is at version $((v + 1)), not $v" "$T/err" || fail "if-version: $(cat "$T/err")"
expect_rc 6 yk status set SW7-GOV-01 --status finished
expect_rc 6 yk status set SW7-GOV-01 --progress 101
[ "$(ver)" = $((v + 1)) ] || fail "refused status changes moved the version"
pass "status set, --if-version"

echo eval-password-1 | expect_rc 0 yk user add eva --role evaluator --password-stdin
echo eval-password-1 | YK_USER=eva expect_rc 0 yk login eva --password-stdin
YK_USER=eva expect_rc 0 yk evaluation add SW7-GOV-01 --round 2021-H1 --committee 좋은시정위원회 --suggestion "협치 백서 온라인 공개"
YK_USER=eva expect_rc 5 yk status set SW7-GOV-01 --progress 10
YK_USER=eva expect_rc 5 yk evaluation answer SW7-GOV-01 3 --text "x"
expect_rc 0 yk evaluation answer SW7-GOV-01 3 --text "누리집 게시 예정"
expect_rc 3 yk evaluation answer SW7-GOV-01 9 --text "없음"
expect_rc 3 yk evaluation answer SW7-GOV-01 4294967296 --text "없음"
grep -q "no evaluation suggestion number 4294967296" "$T/err" || fail "the last index: $(cat "$T/err")"
expect_rc 2 yk evaluation answer SW7-GOV-01 4294967297 --text "없음"  # would wrap onto the first
yk get SW7-GOV-01 -o json >"$T/g.json"
grep -q '"suggestion": "협치 백서 온라인 공개"' "$T/g.json" || fail "suggestion missing"
grep -q '"text": "누리집 게시 예정"' "$T/g.json" || fail "answer missing"
pass "evaluation add (evaluator) and answer"

# idempotency: the same key twice applies once and answers the same
v=$(ver)
expect_rc 0 yk --idempotency-key retry-key-0001 progress add SW7-GOV-01 --indicator "협치 계획 수립" --text "한 번만"
first=$(cat "$T/out")
expect_rc 0 yk --idempotency-key retry-key-0001 progress add SW7-GOV-01 --indicator "협치 계획 수립" --text "한 번만"
grep -q "already applied" "$T/out" || fail "replay not marked: $(cat "$T/out")"
[ "$(ver)" = $((v + 1)) ] || fail "a repeated key applied twice"
[ "$(yk get SW7-GOV-01 -o json | grep -c '"text": "한 번만"')" = 1 ] || fail "the item was appended twice"
echo "$first" | grep -q "version $((v + 1))" || fail "first answer: $first"
expect_rc 6 yk --idempotency-key retry-key-0001 progress add SW7-GOV-01 --indicator "협치 계획 수립" --text "다른 요청"
grep -q "already used for a different request" "$T/err" || fail "reused key: $(cat "$T/err")"
pass "idempotency: repeat answers once, reuse for another request refused"

# the same key from 8 clients at once: one applies, all answer the same version
v=$(ver)
pids=
for i in $(seq 1 8); do
	yk --idempotency-key concurrent-key-01 budget set SW7-GOV-01 --source city --period 2021 --executed 20 >"$T/c$i.out" 2>&1 &
	pids="$pids $!"
done
wait $pids
[ "$(ver)" = $((v + 1)) ] || fail "concurrent repeats applied more than once (version $(ver), was $v)"
for i in $(seq 1 8); do
	grep -q "version $((v + 1))" "$T/c$i.out" || fail "client $i: $(cat "$T/c$i.out")"
done
[ "$(grep -l "already applied" "$T"/c*.out | wc -l)" = 7 ] || fail "seven of the eight should be replays"
pass "idempotency under concurrency: one apply, eight identical answers"

# whole-document apply takes a key too
yk get SW7-GOV-01 >"$T/cur.yaml"
expect_rc 0 yk --idempotency-key apply-key-0001 apply -f "$T/cur.yaml"
expect_rc 0 yk --idempotency-key apply-key-0001 apply -f "$T/cur.yaml"
grep -q "already applied" "$T/out" || fail "apply replay"
pass "apply with a repeated key"

# a client that times out retries with the same key: applied once, answered once
v=$(ver)
hold_lock "LOCK TABLE pledges IN ACCESS EXCLUSIVE MODE"
( YAKSOK_TIMEOUT_MS=800 yk progress add SW7-GOV-01 --indicator "협치 계획 수립" --text "시간 초과 뒤 재시도" \
	>"$T/retry.out" 2>"$T/retry.err"; echo $? >"$T/retry.rc" ) &
RETRIER=$!
wait_until "the client to time out and retry" grep -q "retrying" "$T/retry.err"
release_lock
wait "$RETRIER"
cp "$T/retry.out" "$T/out"
cp "$T/retry.err" "$T/err"
[ "$(cat "$T/retry.rc")" = 0 ] || fail "the retried request failed: $(cat "$T/err")"
grep -q "already applied" "$T/out" || fail "the retry was not answered from the first attempt: $(cat "$T/out")"
[ "$(ver)" = $((v + 1)) ] || fail "a retried request applied more than once"
[ "$(yk get SW7-GOV-01 -o json | grep -c '"text": "시간 초과 뒤 재시도"')" = 1 ] || fail "the retried item appears more than once"
pass "a timed-out request retried with its key applies once"

# A group's element whose field is not of its type fails alone: the others
# of its group are written.
aid=$(ykpsql -c "SELECT id FROM accounts WHERE login = 'admin'")
ctx="{\"account_id\": $aid, \"login\": \"admin\", \"peer\": \"test\", \"request_id\": \"t\", \"op\": \"pledge_update\"}"
ykpsql -c "SELECT yk_progress_add('[{\"ctx\": $ctx, \"code\": \"SW7-GOV-01\", \"expected_version\": \"not a number\",
	\"indicator\": \"협치 계획 수립\", \"item\": {\"text\": \"형식이 틀린 요청\"}},
	{\"ctx\": $ctx, \"code\": \"SW7-GOV-01\", \"indicator\": \"협치 계획 수립\", \"item\": {\"text\": \"같은 묶음의 요청\"}}]')" \
	>"$T/group.json" || fail "a group with a malformed element failed whole"
[ "$(jq -r '[.[0].error.state, (.[1].result.version | type)] | join(" ")' "$T/group.json")" = "22P02 number" ] ||
	fail "a malformed element did not fail alone: $(cat "$T/group.json")"
pass "a group's malformed element fails alone"
