#!/usr/bin/env bash
# History that never breaks: a pledge with 5,000 versions (the last 500 made
# by the daemon's fast path, progress items grouped as under load) pages its
# whole history (newest 50 by default, --before for older ones, each version once),
# a viewer sees no client addresses, and a timestamp taken from history
# (microseconds) given back as get --at selects that very version.
source "$(dirname "$0")/lib.sh"
setup_all
expect_rc 0 yk department add 정책기획과
cat >"$T/h.yaml" <<'DOC'
schema: yaksok/pledge/v1
code: H-1
title: 오래 쓰인 공약
department: 정책기획과
status: in_progress
progress_pct: 0
DOC
expect_rc 0 yk apply -f "$T/h.yaml"
# 4,499 more versions, each its own transaction through the write function
# the daemon calls for a whole document (yk_pledge_write, audit row
# included): the CLI would take minutes to make them one process at a time
N=5000
FAST=500
aid=$(ykpsql -c "SELECT id FROM accounts WHERE login = 'admin'")
for i in $(seq 2 $((N - FAST))); do
	echo "SELECT yk_pledge_write('{\"account_id\": $aid, \"login\": \"admin\", \"peer\": \"127.0.0.1:9\", \"request_id\": \"h:$i\", \"op\": \"pledge_update\"}', '{\"schema\": \"yaksok/pledge/v1\", \"code\": \"H-1\", \"title\": \"오래 쓰인 공약\", \"department\": \"정책기획과\", \"status\": \"in_progress\", \"progress_pct\": $((i % 100))}', NULL, true, NULL, false, NULL);"
done >"$T/versions.sql"
ykpsql -f "$T/versions.sql" >/dev/null || fail "making $((N - FAST)) versions"
# and the last 500 through the daemon: progress items (the fast path), four
# clients at once so that group commit gathers them
expect_rc 0 env YK_SERVER="$YK_SERVER" YK_ADMIN_PW="$ADMIN_PW" "$YK_BIN/progress_many" H-1 $FAST 4
[ "$(ykpsql -c "SELECT count(*) FROM pledge_versions v JOIN pledges p ON p.id = v.pledge_id WHERE p.code = 'H-1'")" = $N ] ||
	fail "not $N stored versions"
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE op = 'pledge_update' AND outcome = 'accepted' AND pledge_code = 'H-1' AND request_id NOT LIKE 'h:%'")" = $FAST ] ||
	fail "the fast path's writes are not $FAST audit rows"
expect_rc 0 yk get H-1 -o json
grep -q "\"version\": $N" "$T/out" || fail "not at version $N: $(grep version "$T/out")"

# the default page: the newest 50, oldest first, and the next page's command
expect_rc 0 yk history H-1 -o json
[ "$(grep -c '"version":' "$T/out")" = 50 ] || fail "the default page is not 50 entries"
[ "$(grep -o '"version": [0-9]*' "$T/out" | head -1)" = '"version": 4951' ] || fail "the page does not start at 4951"
grep -q "older entries: yaksok history H-1 --before 4951" "$T/err" || fail "no next page command: $(cat "$T/err")"
# a page of large documents ends early by bytes (LIMIT_HISTORY_PAGE_BYTES),
# saying that older entries exist, instead of the daemon holding a thousand
expect_rc 0 yk history H-1 -o json --limit 1000
k=$(grep -c '"version":' "$T/out")
[ "$k" -gt 0 ] && [ "$k" -lt 1000 ] && grep -q -- "--before" "$T/err" ||
	fail "a first page of $k entries of the last $FAST versions: $(cat "$T/err")"
# every page, by --before, until there is none: each version exactly once
before=
: >"$T/all"
for _ in $(seq 1 60); do
	expect_rc 0 yk history H-1 -o json --limit 1000 ${before:+--before $before}
	grep -o '"version": [0-9]*' "$T/out" | cut -d' ' -f2 >>"$T/all"
	cp "$T/out" "$T/page-$(wc -l <"$T/all")"
	before=$(grep -o -- '--before [0-9]*' "$T/err" | cut -d' ' -f2 || true)
	[ -n "$before" ] || break
done
[ "$(sort -n "$T/all" | uniq | wc -l)" = $N ] && [ "$(wc -l <"$T/all")" = $N ] || fail "paging did not give each of $N versions once"
expect_rc 2 yk history H-1 --limit 5000
pass "a pledge with $N versions pages its whole history, 50 by default, each version once"

# timestamps given back select their version
awk -F'"' '/"at": /{at=$4} /"version": /{v=$3; gsub(/[^0-9]/, "", v); print at, v}' "$T"/page-* >"$T/stamps"
[ "$(wc -l <"$T/stamps")" -ge $N ] || fail "history entries without time or version: $(head -3 "$T/stamps")"
grep -q '\.[0-9]\{6\}Z' "$T/stamps" || fail "history times are not in microseconds: $(head -1 "$T/stamps")"
shuf -n 50 --random-source=<(yes) "$T/stamps" | while read -r at v; do
	expect_rc 0 yk get H-1 --at "$at" -o json
	grep -q "\"version\": $v," "$T/out" || fail "get --at $at is not version $v: $(grep '"version"' "$T/out")"
done
pass "50 timestamps taken from history, given back as --at, each select their version"

# a viewer reads the history, without where anyone wrote from
echo viewer-password | expect_rc 0 yk user add reader --role viewer --password-stdin
echo viewer-password | YK_USER=reader expect_rc 0 yk login reader --password-stdin
YK_USER=reader expect_rc 0 yk history H-1 -o json --limit 5
grep -q '"login": "admin"' "$T/out" || fail "the viewer does not see who wrote"
grep -q '"peer"' "$T/out" && fail "the viewer sees client addresses: $(grep peer "$T/out" | head -2)"
expect_rc 0 yk history H-1 -o json --limit 5
grep -q '"peer"' "$T/out" || fail "the admin does not see client addresses"
pass "a viewer's history has no client addresses"
