#!/usr/bin/env bash
# The standing check of the hardening issue: replays every attack of issue 15 against a fresh server with a small
# heap (-Xmx96m, temporary data directory, 127.0.0.1 only) and fails, naming the case, if a request gets a 5xx or no
# answer, /health stays silent for more than a second (polled on a new connection every 50 ms throughout), the heap
# after a full collection grows by more than a few MiB, or an acknowledged write is missing afterwards (checked
# before and after a restart). Then it stops the server with SIGTERM under open streams (case 13). One line per
# case, then a summary; exit 1 when anything failed. The cases themselves are in scripts/attack-cases.py.
#
#   scripts/attack.sh [--quick] [--port N] [--jar FILE | --cp CLASSPATH [--jvm-flags "FLAGS"]] [--only 1,5,..]
#                     [--heap-limit-mb N]
#
#   --quick       fewer repetitions (the form the test suite runs, under a minute)
#   --port N      port of the server (default: any free one)
#   --jar FILE    run this jar (default target/actionlog.jar, built when missing)
#   --cp CP       run io.actionlog.Main from this class path instead, with --jvm-flags (the test suite's way)
#   --only LIST   run only these cases (numbers, comma-separated)
set -euo pipefail
cd "$(dirname "$0")/.."
quick="" port=0 jar="" cp="" jvm_flags="" only="" heap_limit_mb=12
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=--quick ;;
    --port) port=$2; shift ;;
    --jar) jar=$2; shift ;;
    --cp) cp=$2; shift ;;
    --jvm-flags) jvm_flags=$2; shift ;;
    --only) only=$2; shift ;;
    --heap-limit-mb) heap_limit_mb=$2; shift ;;
    *) echo "attack: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
java=java jcmd=jcmd
if [ -n "${JAVA_HOME:-}" ]; then java=$JAVA_HOME/bin/java jcmd=$JAVA_HOME/bin/jcmd; fi
python=${PYTHON:-python3}
if [ -z "$cp" ]; then
  jar=${jar:-target/actionlog.jar}
  [ -f "$jar" ] || mvn -B -q -DskipTests package
fi
work=$(mktemp -d)
pid="" poller="" holder=""
cleanup() {
  [ -f "$work/halfsent.pid" ] && holder=$(cat "$work/halfsent.pid")
  for p in $poller $holder $pid; do kill "$p" 2>/dev/null || true; done
  [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
key=attack-admin-key-0123456789abcdef
echo "$key" >"$work/key"
# shellcheck disable=SC2206
flags=($jvm_flags)
settings=(-Ddata.dir="$work/data" -Dauth.admin_key=$key)
if [ -n "$cp" ]; then main=(-cp "$cp" io.actionlog.Main); else main=(-jar "$jar"); fi
printf '%s\n' "$java" "${flags[@]}" "${settings[@]}" "${main[@]}" >"$work/cli"

start_server() {   # start_server LOG: starts the server, sets pid and port
  "$java" -Xmx96m "${flags[@]}" "${settings[@]}" -Dhttp.host=127.0.0.1 -Dhttp.port="$port" "${main[@]}" >"$1" 2>&1 &
  pid=$!
  local p=""
  for _ in $(seq 1 120); do
    p=$(grep -oE 'listening on [^ ]+:[0-9]+' "$1" | grep -oE '[0-9]+$' || true)
    [ -n "$p" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  [ -n "$p" ] || { cat "$1"; echo "attack: the server did not start"; exit 1; }
  port=$p
}

heap_after_gc() {   # KiB of heap in use after a full collection
  "$jcmd" "$pid" GC.run >/dev/null
  "$jcmd" "$pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+'
}

failures=()
start_server "$work/server.log"
echo "attack: server on 127.0.0.1:$port, pid $pid, -Xmx96m, ${quick:+quick, }data in a temporary directory"
$python scripts/attack-cases.py poll --port "$port" --dir "$work" &
poller=$!
# Warm up what the cases use, so the heap baseline includes classes and caches rather than the attack.
curl -fsS -o /dev/null -H "Authorization: Token $key" -H 'Content-Type: application/json' \
  -d '{"action":"Warm-up"}' "http://127.0.0.1:$port/api/v1/action/"
curl -fsS -o /dev/null -H "Authorization: Token $key" "http://127.0.0.1:$port/api/v1/action/?limit=5"
curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"
heap_before=$(heap_after_gc)

t0=$(date +%s)
if ! $python scripts/attack-cases.py run --port "$port" --dir "$work" $quick ${only:+--only "$only"}; then
  failed=()
  [ -f "$work/failed" ] && read -r -a failed <"$work/failed"
  [ ${#failed[@]} -gt 0 ] || failures+=("the cases did not run")
  for n in "${failed[@]}"; do failures+=("case $n"); done
fi
[ -f "$work/halfsent.pid" ] && holder=$(cat "$work/halfsent.pid")
if [ -n "$holder" ]; then
  $python scripts/attack-cases.py halfsent --port "$port" --dir "$work" || failures+=("case 6 (header timeout)")
  kill "$holder" 2>/dev/null || true
fi

heap_after=$(heap_after_gc)
growth=$(( (heap_after - heap_before) / 1024 ))
verdict=PASS
[ "$growth" -le "$heap_limit_mb" ] || { verdict=FAIL; failures+=("heap"); }
echo "heap after full GC               $verdict  $((heap_before / 1024)) -> $((heap_after / 1024)) MiB (+$growth, limit $heap_limit_mb)"

acked=$($python scripts/attack-cases.py verify --port "$port" --dir "$work") || failures+=("acknowledged writes")
echo "acknowledged writes, running     $( [[ $acked == */* && $acked != *missing* ]] && echo PASS || echo FAIL)  $acked"

stop_line=$($python scripts/attack-cases.py stop --port "$port" --dir "$work" --pid "$pid") || failures+=("case 13")
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill "$poller" 2>/dev/null || true
stopped_ms=$(grep -oE 'stopped after [0-9]+ ms' "$work/server.log" | grep -oE '[0-9]+' || echo "")
verdict=PASS
if [ -z "$stopped_ms" ] || [ "$stopped_ms" -gt 2000 ] || [[ $stop_line != *yes ]]; then
  verdict=FAIL; [[ " ${failures[*]} " == *"case 13"* ]] || failures+=("case 13")
fi
echo "case 13 SIGTERM with streams     $verdict  stopped after ${stopped_ms:-?} ms (log); $stop_line"
wait "$pid" 2>/dev/null || true

start_server "$work/restart.log"
acked=$($python scripts/attack-cases.py verify --port "$port" --dir "$work") || failures+=("acknowledged writes after restart")
echo "acknowledged writes, restarted   $( [[ $acked != *missing* ]] && echo PASS || echo FAIL)  $acked"

severe=$(grep -c 'SEVERE' "$work/server.log" || true)
echo "attack: $(( $(date +%s) - t0 )) s; server log $(wc -l <"$work/server.log") lines, $severe SEVERE"
if [ ${#failures[@]} -eq 0 ]; then
  echo "attack: PASS"
else
  echo "attack: FAIL: ${failures[*]}"
  exit 1
fi
