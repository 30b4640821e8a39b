#!/usr/bin/env bash
# Records lib/actionlog.jsa for an unpacked package (argument: its directory): starts the packaged server on a
# scratch data directory with -XX:ArchiveClassesAtExit, sends it the requests of a usual day (health, a write, a
# list, a detail, metrics), stops it, and keeps the archive of every class it loaded. The launcher uses it when
# present: the JVM then maps those classes instead of loading and verifying them one by one.
set -euo pipefail
. "$(dirname "$0")/common.sh"
pkg=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; [ -z "${KEEP:-}" ] || cat "$work/log"; rm -rf "$work"' EXIT
rm -f "$pkg/lib/actionlog.jsa"
key=cds-archive-admin-key-0123456789abcdef
ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=0 ACTIONLOG_DATA_DIR="$work/data" ACTIONLOG_AUTH_ADMIN_KEY=$key \
  ACTIONLOG_JAVA_OPTS="-XX:ArchiveClassesAtExit=$work/actionlog.jsa" "$pkg/bin/actionlog" serve >"$work/log" 2>&1 &
pid=$!
port=$(listening_port "$work/log" "$pid")
[ -n "$port" ] || { cat "$work/log"; echo "cds: the server exited or did not start within 60 s"; exit 1; }
base="http://127.0.0.1:$port"
auth="Authorization: Token $key"
curl -fsS "$base/health" >/dev/null
uri=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' -d '{"action":"Archive","object":"/api/v1/x/1/"}' \
  "$base/api/v1/action/" | grep -oE '"resource_uri":"[^"]+"' | cut -d'"' -f4)
curl -fsS -H "$auth" "$base$uri" >/dev/null
curl -fsS -H "$auth" "$base/api/v1/action/?limit=5" >/dev/null
curl -fsS -H "$auth" "$base/api/user-action-executions/" >/dev/null
curl -fsS "$base/metrics" >/dev/null
kill -TERM "$pid"
wait "$pid" || true
[ -s "$work/actionlog.jsa" ] || { cat "$work/log"; echo "cds: no archive written"; exit 1; }
mv "$work/actionlog.jsa" "$pkg/lib/actionlog.jsa"
echo "cds: $pkg/lib/actionlog.jsa ($(stat -c %s "$pkg/lib/actionlog.jsa") bytes)"
