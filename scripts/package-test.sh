#!/usr/bin/env bash
# Unpacks target/actionlog-*-linux-x64.tar.gz into a scratch directory whose name holds a space, a quote and a
# dollar sign, and runs it as on a host without Java: an empty environment (no JAVA_HOME) whose PATH holds only sh,
# dirname and readlink, the launcher's own needs, so no java can be found on it; the server process is then checked
# to be the package's runtime. Checks the tarball's owners and modes, --version (also through a chain of symbolic
# links, from another working directory), ACTIONLOG_HEAP, the exit code of a bad setting against the unit's restart
# policy, the class-data archive, a credential command, the server's start, a write, a list, an SSE stream,
# metrics, a credential added while it runs, and a clean stop on SIGTERM. Bounded: gives up after 60 s of start.
# Run scripts/package.sh first (CI runs both).
set -euo pipefail
cd "$(dirname "$0")/.."
tarball=$(ls target/actionlog-*-linux-x64.tar.gz | head -n 1)
work=$(mktemp -d)
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { cat "$work/log" 2>/dev/null || true; echo "package-test: $*" >&2; exit 1; }
# Unpacked by root (sudo tar, as INSTALL.md says), the files keep the owners written in the tarball: they must be
# root's, and writable by no one else, or the user who built the package could change what the service runs.
others=$(tar --numeric-owner -tvzf "$tarball" \
  | awk '$2 != "0/0" || ($1 !~ /^l/ && (substr($1, 6, 1) != "-" || substr($1, 9, 1) != "-"))')
[ -z "$others" ] || fail "tarball entries not owned by 0/0 or writable by others: $(echo "$others" | head -n 3)"
mkdir "$work/un packed \$1 'q"
tar -C "$work/un packed \$1 'q" -xzf "$tarball"
pkg=$(ls -d "$work/un packed \$1 'q"/actionlog-*)
data="$work/data"
mkdir "$work/path"
ln -s "$(command -v sh)" "$work/path/sh"
ln -s "$(command -v dirname)" "$work/path/dirname"
ln -s "$(command -v readlink)" "$work/path/readlink"
bare=(env -i PATH="$work/path" HOME="$work")
version=$(basename "$pkg" | sed 's/^actionlog-//')

"${bare[@]}" sh -c 'command -v java' >/dev/null 2>&1 && fail "a java is on the bare PATH"
"${bare[@]}" "$pkg/bin/actionlog" --version | grep -F "$version" >/dev/null || fail "--version"
# Through a relative link to an absolute link to the launcher, from another working directory.
mkdir "$work/links" "$work/elsewhere"
ln -s "$pkg/bin/actionlog" "$work/links/actionlog"
ln -s ../links/actionlog "$work/elsewhere/al"
(cd "$work/elsewhere" && "${bare[@]}" ./al --version 2>&1) | grep -F "$version" >/dev/null \
  || fail "--version through a symbolic link: $(cd "$work/elsewhere" && "${bare[@]}" ./al --version 2>&1)"
# ACTIONLOG_HEAP: what java takes is taken (08g is 8g), anything else is one line naming the variable and exit 2.
"${bare[@]}" ACTIONLOG_HEAP=08g "$pkg/bin/actionlog" --version 2>&1 | grep -F "$version" >/dev/null \
  || fail "ACTIONLOG_HEAP=08g: $("${bare[@]}" ACTIONLOG_HEAP=08g "$pkg/bin/actionlog" --version 2>&1)"
code=0; out=$("${bare[@]}" ACTIONLOG_HEAP=1.5g "$pkg/bin/actionlog" --version 2>&1) || code=$?
[ "$code" = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && [[ "$out" == *ACTIONLOG_HEAP=1.5g* ]] \
  || fail "ACTIONLOG_HEAP=1.5g: exit $code: $out"
# A bad setting exits 2, through the launcher; the unit must not restart the server for ever on it.
code=0
out=$("${bare[@]}" ACTIONLOG_HTTP_PORT=eighty ACTIONLOG_DATA_DIR="$work/unused" "$pkg/bin/actionlog" 2>&1) || code=$?
[ "$code" = 2 ] || fail "a bad http.port: exit $code: $out"
grep -Eq '^RestartPreventExitStatus=(.* )?2( |$)' "$pkg/systemd/actionlog.service" \
  || fail "the unit restarts the server after exit 2 (a bad setting), again and again"
# The class-data archive was made where the package was built; the JVM must still take it here, the server's own
# classes included (a jar that is not the one recorded still maps the archive, then loads every class from the jar).
cds=$("${bare[@]}" ACTIONLOG_JAVA_OPTS='-Xlog:cds=info -Xlog:class+load=info' "$pkg/bin/actionlog" --version 2>&1)
case "$cds" in *"Mapped dynamic region"*) ;; *) fail "class-data archive not mapped: $cds";; esac
case "$cds" in *mismatch*|*"not the one used"*) fail "archive refused: $(echo "$cds" | grep -E 'mismatch|not the one')";; esac
echo "$cds" | grep -E '^\[.*\] io\.actionlog\.Main source: shared objects file' >/dev/null \
  || fail "the server's classes are not loaded from the class-data archive: $(echo "$cds" | grep 'io.actionlog.Main ')"
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
# SIGTERM reaches the JVM through the launcher (exec); the unit counts its exit status, 143, as a clean stop.
kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=""
grep -q 'actionlog stopped' "$work/log" || fail "no clean stop"
[ "$code" = 143 ] || fail "a stop on SIGTERM exited $code, not 143"
echo "package-test: $(basename "$tarball") ran without Java on PATH: credential, POST, list, SSE, metrics, stop"
