#!/usr/bin/env bash
# Runs it_wire (framing and protocol edge cases) against its own daemon.
source "$(dirname "$0")/lib.sh"
start_db
start_daemon --frame-timeout 2 --metrics-listen 127.0.0.1:0
YK_ADMIN_PW=$ADMIN_PW "$YK_BIN/it_wire" || fail "it_wire"
grep -q "event=frame_too_big" "$T/yaksokd.log" || fail "the oversized frame was not logged"
grep -q "event=frame_timeout" "$T/yaksokd.log" || fail "the trickled frame was not cut off"
# A connection's answers of one turn of the loop go out in one write: the
# 200 pipelined Hellos of test_pipelined_hellos_answered_together (answered
# without the database, so in one turn or as few as the reads that took
# them) were 200 writes when each answer was a write of its own.
scrape /metrics | sed '1,/^\r$/d' >"$T/metrics"
frames=$(metric_value yaksokd_output_frames_total)
writes=$(metric_value yaksokd_output_writes_total)
[ -n "$frames" ] && [ -n "$writes" ] && [ "$((frames - writes))" -ge 150 ] ||
	fail "answers are not gathered into fewer writes: ${frames:-?} frames in ${writes:-?} writes"
