#!/usr/bin/env bash
# kill -9 under concurrent writers, repeated: starts target/actionlog.jar (java -jar) on a fresh data directory on
# 127.0.0.1, lets 4 writers record actions and move them through states until 50-300 writes are acknowledged,
# kills the server with SIGKILL, replays the journal offline (`actionlog verify`), restarts, and checks that every
# acknowledged action is there in its last acknowledged state, that the list's total equals the journal's count of
# created actions, and that writes work again. Prints `cycles N, acknowledged N, lost N`; exits non-zero if anything
# is lost or wrong.
#
#   scripts/crash-test.sh [CYCLES]          default 20 cycles; bounded: gives up after 20 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-20}
if [ ! -f target/actionlog.jar ] || [ ! -d target/test-classes/io/actionlog/reliability ]; then
  mvn -B -q -DskipTests package
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
timeout 1200 java -Dactionlog.jar=target/actionlog.jar -cp target/actionlog.jar:target/test-classes \
  io.actionlog.reliability.CrashCycles --cycles "$cycles" --writers 4 --dir "$work"
