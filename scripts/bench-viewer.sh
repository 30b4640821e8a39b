#!/usr/bin/env bash
# The viewer's figures at 1 M generated actions (docs/benchmarks.md): the stats endpoint over a 30-day range, and
# the time from signing in to the first list on screen in a headless Chromium (chromium, chromium-driver).
# Usage: scripts/bench-viewer.sh [COUNT]   (default 1000000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-1000000}"
port="${PORT:-18480}"
key=bench-admin-key-0123456789abcdef
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
log() { echo "bench-viewer: $*" >&2; }

cd "$root"
[ -f target/actionlog.jar ] || mvn -B -q -DskipTests package
[ -d target/test-classes/io/actionlog/viewer ] || mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >&2

# generate spreads the actions over 30 days from --start.
start=1767225600 # 2026-01-01T00:00:00Z
log "generating $count actions"
java -jar target/actionlog.jar generate --count "$count" --seed 1 --start "$start" --data-dir "$work/data" --create >&2
ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=$port ACTIONLOG_AUTH_ADMIN_KEY=$key \
  java -Xmx${HEAP:-512m} -jar target/actionlog.jar --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 1200); do
  grep -q 'listening on' "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
grep 'replayed' "$work/server.log" >&2
java -cp "target/test-classes:target/classes:$(cat "$work/cp.txt")" io.actionlog.viewer.ViewerTiming \
  "http://127.0.0.1:$port" "$key" 2026-01-01T00:00:00Z 2026-01-31T00:00:00Z 2> >(grep -v '^SLF4J' >&2)
