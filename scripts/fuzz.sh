#!/usr/bin/env bash
# Build the libFuzzer targets with clang (build-fuzz/) and run each for
# FUZZ_SECONDS (default 60): fuzz_frame (the frame decoder fed in chunks),
# fuzz_input (unpack, the document mapping and every validation rule; YAML
# and JSON documents) and fuzz_dispatch (the whole request path with the
# network and the database faked).  Seeds and the dictionary are in
# tests/fuzz/; what the fuzzer adds stays in build-fuzz/corpus/.  A crash
# stops the run (exit 1) and leaves build-fuzz/crash-*: copy it into
# tests/fuzz/corpus/TARGET/ so that ctest replays it from then on.
#
# protobuf-c is compiled in from its Debian source when that can be fetched
# (deb-src from the configured mirror, into build-fuzz/ only), so that the
# fuzzers see its branches too; otherwise the system library is used.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
SECS=${FUZZ_SECONDS:-60}
B=build-fuzz
mkdir -p "$B"

pbc_src() {
	local dir=$B/pbc-src
	if [ -f "$dir/protobuf-c/protobuf-c.c" ]; then echo "$(pwd)/$dir"; return 0; fi
	local state=$B/apt
	mkdir -p "$state/lists/partial" "$dir"
	local mirror
	mirror=$({ grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
		   grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}'; } |
		 grep -E '/debian/?$' | head -1)
	mirror=${mirror:-http://deb.debian.org/debian}
	local codename
	codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
	echo "deb-src $mirror $codename main" >"$state/sources.list"
	local opts=(-o "Dir::Etc::SourceList=$(pwd)/$state/sources.list" -o "Dir::Etc::SourceParts=-"
		    -o "Dir::State::Lists=$(pwd)/$state/lists" -o "APT::Sandbox::User=root" -q)
	apt-get "${opts[@]}" update >/dev/null 2>&1 || return 1
	(cd "$dir" && apt-get "${opts[@]}" source --download-only protobuf-c >/dev/null 2>&1) || return 1
	local tarball
	tarball=$(ls "$dir"/protobuf-c_*.orig.tar.* 2>/dev/null | head -1)
	[ -n "$tarball" ] || return 1
	tar -xf "$tarball" -C "$dir" --strip-components=1 || return 1
	[ -f "$dir/protobuf-c/protobuf-c.c" ] && echo "$(pwd)/$dir"
}

PBC=
if PBC=$(pbc_src); then
	echo "fuzz: protobuf-c compiled in from $PBC"
else
	PBC=
	echo "fuzz: protobuf-c source not available; using the system library (not instrumented)"
fi
CC=clang cmake -S . -B "$B" -DYAKSOK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYAKSOK_PROTOBUF_C_SRC="$PBC" >/dev/null
cmake --build "$B" --target fuzz_frame fuzz_input fuzz_dispatch -j"$(nproc)" >/dev/null

rc=0
for t in frame input dispatch; do
	mkdir -p "$B/corpus/$t"
	echo "fuzz: $t for ${SECS}s"
	if ! ASAN_OPTIONS=detect_leaks=1 "$B/bin/fuzz_$t" -max_total_time="$SECS" -dict=tests/fuzz/yaksok.dict \
		-max_len=65536 -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$B/crash-$t-" -print_final_stats=1 \
		"$B/corpus/$t" "tests/fuzz/corpus/$t" >"$B/fuzz-$t.log" 2>&1; then
		echo "fuzz: $t FAILED — see $B/fuzz-$t.log and $B/crash-$t-*" >&2
		tail -40 "$B/fuzz-$t.log" >&2
		rc=1
		continue
	fi
	grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$B/fuzz-$t.log" | tr '\n' ' '
	echo
done
exit $rc
