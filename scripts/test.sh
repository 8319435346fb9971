#!/usr/bin/env bash
# The README's second command: build with AddressSanitizer and
# UndefinedBehaviorSanitizer and run every test through ctest.  Each test
# that needs PostgreSQL creates and removes its own cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DYAKSOK_SANITIZE=ON -DYAKSOK_TESTS=ON >/dev/null
cmake --build build-test -j"$(nproc)"
cd build-test
ctest --output-on-failure -j2 --timeout 600 "$@"
