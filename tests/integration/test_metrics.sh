#!/usr/bin/env bash
# Metrics for an operator: GET /metrics on --metrics-listen is Prometheus
# text that promtool accepts, and counts what happened -- requests by
# operation and status with their latency, connections, the pool, the read
# cache, group commits; yaksok status shows a person the same figures.
source "$(dirname "$0")/lib.sh"
setup_all --metrics-listen 127.0.0.1:0
expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$YK_SRC/examples/suwon-governance.yaml"
for _ in 1 2 3; do expect_rc 0 yk get SW7-GOV-01; done
expect_rc 3 yk get NO-SUCH
expect_rc 0 yk progress add SW7-GOV-01 --indicator "협치 계획 수립" --text "지표 확인"

scrape /metrics >"$T/answer"
head -1 "$T/answer" | grep -q "^HTTP/1.0 200" || fail "GET /metrics: $(head -1 "$T/answer")"
sed '1,/^\r$/d' "$T/answer" >"$T/metrics"
promtool check metrics <"$T/metrics" || fail "promtool check metrics: $(promtool check metrics <"$T/metrics" 2>&1 | head)"
[ "$(metric_value 'yaksokd_requests_total{op="pledge_get",status="OK"}')" -ge 3 ] || fail "pledge_get OK: $(grep pledge_get "$T/metrics" | head -3)"
[ "$(metric_value 'yaksokd_requests_total{op="pledge_get",status="NOT_FOUND"}')" = 1 ] || fail "the NOT_FOUND get is not counted"
[ "$(metric_value 'yaksokd_request_duration_seconds_count{op="pledge_get"}')" -ge 4 ] || fail "no latency for pledge_get"
grep -q '^yaksokd_request_duration_seconds_bucket{op="pledge_apply",le="+Inf"} 1$' "$T/metrics" || fail "no histogram for pledge_apply"
[ "$(metric_value yaksokd_cache_hits_total)" -ge 1 ] || fail "no cache hit counted"
[ "$(metric_value yaksokd_group_commit_writes_total)" -ge 1 ] || fail "no group commit counted"
[ "$(metric_value yaksokd_db_connects_total)" -ge 1 ] || fail "no database connection counted"
[ "$(metric_value yaksokd_db_pool_connections)" -ge 1 ] || fail "no pool size"
[ "$(metric_value yaksokd_schema_ready)" = 1 ] || fail "schema not ready"
[ -n "$(metric_value yaksokd_connections)" ] && [ -n "$(metric_value yaksokd_db_pool_queue_depth)" ] || fail "gauges missing"
scrape /other | head -1 | grep -q "^HTTP/1.0 404" || fail "another path is not 404"
pass "GET /metrics: valid for promtool; requests by operation and status, latency histograms, cache, pool, group commit"

expect_rc 0 yk status
grep -q "requests: .* answered" "$T/out" && grep -q "cache: .* hits" "$T/out" && grep -q "pool: .* ready" "$T/out" ||
	fail "yaksok status lacks the figures: $(cat "$T/out")"
pass "yaksok status shows the same figures to a person"
