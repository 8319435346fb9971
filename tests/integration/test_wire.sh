#!/usr/bin/env bash
# Runs it_wire (framing and protocol edge cases) against its own daemon.
source "$(dirname "$0")/lib.sh"
start_db
start_daemon --frame-timeout 2
YK_ADMIN_PW=$ADMIN_PW "$YK_BIN/it_wire" || fail "it_wire"
grep -q "event=frame_too_big" "$T/yaksokd.log" || fail "the oversized frame was not logged"
grep -q "event=frame_timeout" "$T/yaksokd.log" || fail "the trickled frame was not cut off"
