#!/usr/bin/env bash
# Input fuzzing at full size: the property suite of the test run (InputFuzzTest) with more tries per
# property. The test suite runs 1,000 tries for each of its 8 properties (8,000 requests); this runs 15,000 each
# (120,000 requests) by default. Bounded: gives up after 20 minutes.
#
#   scripts/fuzz.sh [TRIES_PER_PROPERTY]
set -euo pipefail
cd "$(dirname "$0")/.."
tries=${1:-15000}
timeout 1200 mvn -B -q test -Dtest=InputFuzzTest -Djqwik.tries.default="$tries" -Dsurefire.failIfNoSpecifiedTests=false
grep -h "fuzz:" target/surefire-reports/io.actionlog.reliability.InputFuzzTest-output.txt
