#!/usr/bin/env bash
# Unpacks target/actionlog-*-linux-x64.tar.gz into a scratch directory and runs it as on a host without Java:
# an empty environment (no JAVA_HOME) whose PATH holds only sh and dirname, the launcher's own needs, so no java
# can be found on it; the server process is then checked to be the package's runtime. Checks --version, the
# class-data archive, a credential command, the server's start, a write, a list, an SSE stream, metrics, a
# credential added while it runs, and a clean stop. Bounded: gives up after 60 s of start.
# Run scripts/package.sh first (CI runs both).
set -euo pipefail
cd "$(dirname "$0")/.."
tarball=$(ls target/actionlog-*-linux-x64.tar.gz | head -n 1)
work=$(mktemp -d)
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
pkg=$(ls -d "$work"/actionlog-*)
data="$work/data"
mkdir "$work/path"
ln -s "$(command -v sh)" "$work/path/sh"
ln -s "$(command -v dirname)" "$work/path/dirname"
bare=(env -i PATH="$work/path" HOME="$work")
fail() { cat "$work/log" 2>/dev/null || true; echo "package-test: $*" >&2; exit 1; }

"${bare[@]}" sh -c 'command -v java' >/dev/null 2>&1 && fail "a java is on the bare PATH"
"${bare[@]}" "$pkg/bin/actionlog" --version | grep "$(basename "$pkg" | sed 's/^actionlog-//')" >/dev/null || fail "--version"
# The class-data archive was made where the package was built; the JVM must still take it here.
cds=$("${bare[@]}" ACTIONLOG_JAVA_OPTS=-Xlog:cds=info "$pkg/bin/actionlog" --version 2>&1)
case "$cds" in *"Mapped dynamic region"*) ;; *) fail "class-data archive not mapped: $cds";; esac
case "$cds" in *mismatch*) fail "class-data archive refused: $cds";; esac
admin=$("${bare[@]}" "$pkg/bin/actionlog" credential add operator --role admin --create --data-dir "$data" | tail -n 1)
[ ${#admin} -ge 20 ] || fail "credential add printed no key"

"${bare[@]}" ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=0 ACTIONLOG_DATA_DIR="$data" "$pkg/bin/actionlog" \
  >"$work/log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 120); do
  port=$(grep -oE 'listening on [^ ]+:[0-9]+' "$work/log" | grep -oE '[0-9]+$' || true)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || fail "server exited"
  sleep 0.5
done
[ -n "$port" ] || fail "server did not start"
case "$(readlink "/proc/$pid/exe")" in "$pkg/runtime/"*) ;; *) fail "the server runs $(readlink "/proc/$pid/exe")";; esac
base="http://127.0.0.1:$port"
auth="Authorization: Token $admin"
curl -fsS "$base/health" | grep '"UP"' >/dev/null || fail "health"
uri=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' -d '{"action":"Package Test","object":"/api/v1/p/1/"}' \
  "$base/api/v1/action/" | grep -oE '"resource_uri":"[^"]+"' | cut -d'"' -f4)
[ -n "$uri" ] || fail "POST recorded nothing"
curl -fsS -H "$auth" "$base/api/v1/action/?object=/api/v1/p/1/" | grep '"Package Test"' >/dev/null || fail "list"
# The stream from the journal's first entry: the create just recorded arrives as an SSE event.
curl -sS -N --max-time 3 -H "$auth" -H 'Last-Event-ID: -1' "$base/api/v1/events/" >"$work/sse" 2>/dev/null || true
grep -q "\"resource_uri\":\"$uri\"" "$work/sse" || fail "SSE stream: $(cat "$work/sse")"
curl -fsS "$base/metrics" | grep '^actionlog_index_actions' >/dev/null || fail "metrics"
# A credential made while the server runs is in force within its reload period.
user=$("${bare[@]}" "$pkg/bin/actionlog" credential add reader --data-dir "$data" | tail -n 1)
for _ in $(seq 1 40); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Token $user" "$base/api/v1/action/")
  [ "$code" = 200 ] && break
  sleep 0.25
done
[ "$code" = 200 ] || fail "a credential added while running was not accepted ($code)"
kill -TERM "$pid"
wait "$pid" || true
pid=""
grep -q 'actionlog stopped' "$work/log" || fail "no clean stop"
echo "package-test: $(basename "$tarball") ran without Java on PATH: credential, POST, list, SSE, metrics, stop"
