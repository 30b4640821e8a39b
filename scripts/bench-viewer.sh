#!/usr/bin/env bash
# The viewer's figures at 1 M generated actions (docs/benchmarks.md): the stats endpoint over a 30-day range, the
# time from signing in to the first list on screen, and from opening an action to its proof shown verified, in a
# headless Chromium (chromium, chromium-driver).
# Usage: scripts/bench-viewer.sh [COUNT]   (default 1000000; HEAP sets the server's -Xmx, default 512m)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/common.sh"
count="${1:-1000000}"
key=bench-admin-key-0123456789abcdef
work="$(mktemp -d)"
server_pid=""
cleanup() { stop "$server_pid"; rm -rf "$work"; }
trap cleanup EXIT

cd "$root"
[ -f target/actionlog.jar ] || mvn -B -q -DskipTests package
[ -d target/test-classes/io/actionlog/viewer ] || mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >&2

log "generating $count actions over 30 days from 2026-01-01"
java -jar target/actionlog.jar generate --count "$count" --seed 1 --start 1767225600 --data-dir "$work/data" \
  --create >&2
ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=0 ACTIONLOG_AUTH_ADMIN_KEY=$key \
  java -Xmx"${HEAP:-512m}" -jar target/actionlog.jar --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
port=$(listening_port "$work/server.log")
[ -n "$port" ] || { cat "$work/server.log" >&2; exit 1; }
grep 'replayed' "$work/server.log" >&2
java -cp "target/test-classes:target/classes:$(cat "$work/cp.txt")" io.actionlog.viewer.ViewerTiming \
  "http://127.0.0.1:$port" "$key" 2026-01-01T00:00:00Z 2026-01-31T00:00:00Z 2> >(grep -v '^SLF4J' >&2)
