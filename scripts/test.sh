#!/usr/bin/env bash
# The README's second command: build with AddressSanitizer and
# UndefinedBehaviorSanitizer and run every test through ctest, after a
# minute of libFuzzer per fuzz target (scripts/fuzz.sh).  Each test
# that needs PostgreSQL creates and removes its own cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# The browser tests' tooling (puppeteer-core, axe-core), at the versions
# tests/web/package-lock.json pins; it drives Debian's Chromium and downloads
# no browser of its own.
(cd tests/web && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
# The optimised build the README's first command makes sees warnings (as
# errors) that a debug build does not: build it too.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYAKSOK_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
# libFuzzer: each target for FUZZ_SECONDS (default 60), before the tests so
# that the fuzzers do not share the two cores with timing-sensitive ones.
FUZZ_SECONDS=${FUZZ_SECONDS:-60} scripts/fuzz.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DYAKSOK_SANITIZE=ON -DYAKSOK_TESTS=ON >/dev/null
cmake --build build-test -j"$(nproc)"
cd build-test
ctest --output-on-failure -j2 --timeout 600 "$@"
