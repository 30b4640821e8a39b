#!/usr/bin/env bash
# The benchmark of docs/benchmarks.md, in one command:
#   scripts/bench.sh [--count N] [--warmup S] [--duration S] [--rounds R] [--bulk-lines N] [--profile SCENARIO]
#                    [--only a,b,..] [--jar FILE]
# Loads N actions (default 1,000,000) into a fresh server through the bulk endpoint, restarts it to time the
# replay, then runs the wrk scenarios (2 threads, 32 connections) against the server and, with the same settings,
# against the ceiling (a bare Vert.x hello-world on the same JVM flags, from the benchmark harness
# target/actionlog-bench.jar, built when missing; with --jar too): a warm-up on each, then R rounds of a
# measured run on the ceiling followed by one on the server; last, bulk ingest again into the warm server, after
# an untimed warm-up. Prints one table. Everything runs on 127.0.0.1; every step is bounded in time; everything it
# starts is stopped on exit.
# JAVA_OPTS (default empty) goes to both JVMs. Results and logs go to target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

count=1000000 warmup=10 duration=10 rounds=3 threads=2 connections=32 bulk_lines=500000 profile="" only="a,b,c,d,e,f"
port=18080 ceiling_port=18081 seed=1 keep=0 jar=""
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --bulk-lines) bulk_lines=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --ceiling-port) ceiling_port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --jar) jar=$(readlink -f "$2"); shift 2 ;; # another build, to compare with the same script
    *) echo "usage: $0 [--count N] [--warmup S] [--duration S] [--rounds R] [--bulk-lines N] [--profile a|b|c|d|e|f]" \
            "[--only a,b,..] [--port P] [--ceiling-port P] [--keep] [--jar FILE]" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]?$ ]] || { echo "$0: --rounds takes a number from 1 to 99" >&2; exit 2; }

. scripts/common.sh
bench_start bench server_pid ceiling_pid

# --- tools and jar -------------------------------------------------------------------------------------------
missing=""
command -v wrk >/dev/null || missing="$missing wrk"
command -v jq >/dev/null || missing="$missing jq"
command -v curl >/dev/null || missing="$missing curl"
if [ -n "$missing" ]; then
  log "installing$missing"
  timeout 600 apt-get update -q >/dev/null && timeout 600 apt-get install -y -q $missing >/dev/null
fi
# The ceiling is in the benchmark harness, built from the test classes beside the product jar (never shipped).
[ -f target/actionlog-bench.jar ] || timeout 900 mvn -B -q -DskipTests -Pbench package
bench_jar="$root/target/actionlog-bench.jar"
[ -n "$jar" ] || jar="$root/target/actionlog.jar"

# --- servers -------------------------------------------------------------------------------------------------
wait_listening() { # wait_listening LOGFILE PID: bounded wait for the "listening on" line
  for _ in $(seq 1 600); do
    grep -q 'listening on' "$1" && return 0
    kill -0 "$2" 2>/dev/null || { cat "$1" >&2; log "process exited"; exit 1; }
    sleep 0.1
  done
  cat "$1" >&2; log "not listening after 60 s"; exit 1
}
start_server() { # start_server LOGFILE
  local t0; t0=$(date +%s%N)
  ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=$port ACTIONLOG_DATA_DIR="$work/data" \
    ACTIONLOG_AUTH_ADMIN_KEY=$key java $JAVA_OPTS -jar "$jar" >"$1" 2>&1 &
  server_pid=$!
  wait_listening "$1" "$server_pid"
  ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
base="http://127.0.0.1:$port"
ceiling="http://127.0.0.1:$ceiling_port"
auth="Authorization: Token $key"

# --- load through the bulk endpoint --------------------------------------------------------------------------
post_parts() { # post_parts PREFIX: posts PREFIX.000, .001, ... one after the other; prints how many were accepted
  local part code pre total
  for part in "$1".???; do
    # Streamed from stdin (chunked), so curl neither holds the file in memory nor appends its name to the URL.
    timeout 900 curl -sS -X POST -T - -H "$auth" -H 'Content-Type: application/x-ndjson' \
      -w '%{http_code} %{time_pretransfer} %{time_total}\n' -o "$part.reply" "$base/api/v1/action/bulk/" \
      <"$part" >"$part.timing"
    read -r code pre total <"$part.timing"
    [ "$code" = 200 ] || { cat "$part.reply" >&2; log "bulk request answered $code"; exit 1; }
    log "  $(basename "$part"): $(jq -c '{lines,accepted,rejected}' "$part.reply"), sent and answered in" \
        "$(awk -v a="$pre" -v b="$total" 'BEGIN{printf "%.2f", b-a}') s"
  done
  cat "$1".???.reply | jq -s 'map(.accepted) | add'
  rm -f "$1".???*
}
bulk_load() { # bulk_load COUNT SEED NAME [WARMUP]: generates WARMUP + COUNT actions, posts the first WARMUP
  # untimed, then times the COUNT others; sets bulk_rate (actions/s)
  local warm=${4:-0} t0 ns accepted
  log "generating $(( warm + $1 )) actions (seed $2)"
  timeout 900 java $JAVA_OPTS -jar "$jar" generate --count $(( warm + $1 )) --seed "$2" --out "$work/$3.ndjson" >&2
  if [ "$warm" -gt 0 ]; then
    log "bulk warm-up: $warm actions, not timed"
    head -n "$warm" "$work/$3.ndjson" | split -l "$bulk_lines" -d -a 3 - "$work/$3-warm."
    post_parts "$work/$3-warm" >/dev/null
  fi
  tail -n +$(( warm + 1 )) "$work/$3.ndjson" | split -l "$bulk_lines" -d -a 3 - "$work/$3."
  rm "$work/$3.ndjson"
  log "bulk ingest ($(ls "$work/$3".??? | wc -l) request(s) of at most $bulk_lines lines)"
  t0=$(date +%s%N)
  accepted=$(post_parts "$work/$3")
  ns=$(( $(date +%s%N) - t0 ))
  [ "$accepted" = "$1" ] || { log "only $accepted of $1 actions accepted"; exit 1; }
  bulk_rate=$(awk -v n="$accepted" -v ns="$ns" 'BEGIN{printf "%.0f", n / (ns / 1e9)}')
  log "bulk: $accepted actions in $(awk -v ns="$ns" 'BEGIN{printf "%.2f", ns/1e9}') s = $bulk_rate actions/s"
}
start_server "$work/server-1.log"
bulk_load "$count" "$seed" part # into a fresh server: its first requests, compiled as they run
cold_bulk_rate=$bulk_rate

# --- restart: replay ----------------------------------------------------------------------------------------
stop "$server_pid"; server_pid=""
start_server "$work/server-2.log"
replay_line=$(grep -oE 'replayed [0-9]+ journal entries \([0-9]+ actions\) in [0-9]+ ms' "$work/server-2.log")
replay_ms=$(echo "$replay_line" | grep -oE '[0-9]+ ms' | grep -oE '[0-9]+')
replay_actions=$(echo "$replay_line" | grep -oE '\([0-9]+ actions' | grep -oE '[0-9]+')
replay_rate=$(awk -v n="$replay_actions" -v ms="$replay_ms" 'BEGIN{printf "%.0f", n / (ms > 0 ? ms / 1000 : 0.001)}')
log "restart: $replay_line; listening $ready_ms ms after launch"
java $JAVA_OPTS -jar "$bench_jar" ceiling --port "$ceiling_port" >"$work/ceiling.log" 2>&1 &
ceiling_pid=$!
wait_listening "$work/ceiling.log" "$ceiling_pid"

# --- inputs for the scenarios -------------------------------------------------------------------------------
log "fetching uuids and objects for the lookups"
for offset in $(awk -v n="$count" 'BEGIN{for (i = 0; i < 5; i++) print int(n * i / 5)}'); do
  timeout 60 curl -fsS -H "$auth" "$base/api/v1/action/?order_by=id&limit=1000&offset=$offset" \
    | jq -r '.objects[] | "\(.uuid) \(.object)"'
done >"$work/sample"
lua_list() { # lua_list NAME: a Lua table of quoted strings from stdin
  printf '%s = {\n' "$1"; sed 's/.*/  "&",/'; printf '}\n'
}
{
  awk '{print $1}' "$work/sample" | lua_list uuids
  awk '{print $2}' "$work/sample" | sort -u | jq -Rr '@uri' | lua_list objects
} >"$work/inputs.lua"
log "  $(wc -l <"$work/sample") uuids, $(awk '{print $2}' "$work/sample" | sort -u | wc -l) objects"

bench_user=user7
user_key=$(ACTIONLOG_DATA_DIR="$work/data" java $JAVA_OPTS -jar "$jar" credential add "$bench_user" --role user | tail -1)
sleep 1.5 # the server picks credential changes up within one second
waldur_status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Token $user_key" \
  "$base/api/user-action-executions/?page_size=25" || true)
waldur_page="" waldur_note=""
if [ "$waldur_status" = 200 ]; then
  user_total=$(curl -fsS -I -H "Authorization: Token $user_key" "$base/api/user-action-executions/?page_size=25" \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "x-result-count" {print $2}')
  waldur_page=$(( user_total / 25 > 1 ? user_total / 25 : 1 ))
  log "  $bench_user has $user_total actions; Waldur deep page $waldur_page of page_size 25"
else
  waldur_note="not run: GET /api/user-action-executions/ answered $waldur_status (the Waldur face is not in this build)"
fi

day0=$(date -u -d @1767225600 +%Y-%m-%d) # the generator's first day
cat >"$work/common.lua" <<EOF
dofile("$work/inputs.lua")
math.randomseed(42)
local s1, s2, s3, s4
function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f %d %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF
scenario_lua() { # scenario_lua ID: the wrk script of one scenario
  echo "dofile(\"$work/common.lua\")"
  case "$1" in
    a) cat <<'EOF'
wrk.method = "POST"
wrk.path = "/api/v1/action/"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"action":"Bench Post","object":"/api/v1/service/bench/","user":"user1","state":"Success"}'
EOF
    ;;
    b) cat <<EOF
local days = {}
for i = 0, 29 do days[i] = os.date("!%Y-%m-%d", $(date -u -d "$day0" +%s) + i * 86400) end
local nexts = {}
for i = 0, 29 do nexts[i] = os.date("!%Y-%m-%d", $(date -u -d "$day0" +%s) + (i + 1) * 86400) end
request = function()
  local d = math.random(0, 29)
  return wrk.format("GET", "/api/v1/action/?state=Success&start_date__gte=" .. days[d] ..
    "&start_date__lt=" .. nexts[d] .. "&limit=25")
end
EOF
    ;;
    c) cat <<EOF
wrk.path = "/api/v1/action/?state=Success&start_date__gte=$day0&start_date__lt=$(date -u -d "$day0 + 30 days" +%Y-%m-%d)&limit=25&offset=100000"
EOF
    ;;
    d) cat <<'EOF'
request = function()
  return wrk.format("GET", "/api/v1/action/" .. uuids[math.random(#uuids)] .. "/")
end
EOF
    ;;
    e) cat <<'EOF'
request = function()
  return wrk.format("GET", "/api/v1/action/?object=" .. objects[math.random(#objects)] .. "&limit=25")
end
EOF
    ;;
    f) cat <<EOF
wrk.headers["Authorization"] = "Token $user_key"
wrk.path = "/api/user-action-executions/?page=$waldur_page&page_size=25"
EOF
    ;;
  esac
}
cpu_ticks() { # cpu_ticks PID: user + system CPU time the process has used, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}
run_wrk() { # run_wrk URL SCRIPT SECONDS: prints "rps p50_us p99_us non2xx socket_errors"
  timeout $(( $3 + 30 )) wrk -t"$threads" -c"$connections" -d"$3"s --timeout 5s --latency -H "$auth" -s "$2" "$1" \
    | awk '$1 == "RESULT" {print $2, $3, $4, $5, $6}'
}

declare -A title target result ceil cpu spread
loads=""
title[a]="single POST (acknowledged after the append)"; target[a]=50
title[b]="list state=Success, 1-day range, limit 25"; target[b]=30
title[c]="list state=Success, 30 days, offset=100000"; target[c]=25
title[d]="get by uuid"; target[d]=60
title[e]="list by object, limit 25"; target[e]=30
title[f]="Waldur list, deep page (user credential)"; target[f]=""
measure() { # measure SIDE ID: one measured run; sets r (run_wrk's fields) and c (CPU µs a request)
  local url=$base pid=$server_pid load_before ticks_before
  [ "$1" = ceiling ] && url=$ceiling pid=$ceiling_pid
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  ticks_before=$(cpu_ticks "$pid")
  r=$(run_wrk "$url" "$work/$2.lua" "$duration")
  # CPU the process used per request answered: steadier than req/s when other jobs share the machine.
  c=$(awk -v t="$(( $(cpu_ticks "$pid") - ticks_before ))" -v hz="$(getconf CLK_TCK)" \
    -v rps="${r%% *}" -v d="$duration" 'BEGIN{printf "%.0f", (rps > 0 ? t / hz * 1e6 / (rps * d) : 0)}')
  loads="$loads ($2) $1 ${load_before}→$(cut -d' ' -f1 /proc/loadavg);"
  log "  $1: $r ($c µs of CPU a request)"
}
# Reads first, the POST last, so the reads see exactly the loaded actions.
for id in b c d e f a; do
  case ",$only," in *",$id,"*) ;; *) continue ;; esac
  if [ "$id" = f ] && [ -z "$waldur_page" ]; then continue; fi
  scenario_lua "$id" >"$work/$id.lua"
  # A quick check that the scenario's requests succeed on the server before timing them.
  check=$(run_wrk "$base" "$work/$id.lua" 1)
  set -- $check
  [ "${4:-1}" = 0 ] || { log "scenario $id: $4 non-2xx answers in a 1 s check; see $work/$id.lua"; exit 1; }
  log "scenario $id: ${warmup} s warm-up on the ceiling and on the server, then $rounds round(s) of ${duration} s each"
  run_wrk "$ceiling" "$work/$id.lua" "$warmup" >/dev/null
  run_wrk "$base" "$work/$id.lua" "$warmup" >/dev/null
  # Ceiling and server take turns, and each round gives a ratio: the machine's drift over a scenario then moves
  # both sides of a round alike, and the table shows the round with the median ratio beside the range of all.
  : >"$work/$id.rounds"
  for round in $(seq 1 "$rounds"); do
    measure ceiling "$id"; cr=$r cc=$c
    measure server "$id"
    ratio=$(awk -v a="${r%% *}" -v b="${cr%% *}" 'BEGIN{printf "%.1f", (b > 0 ? 100 * a / b : 0)}')
    echo "$ratio|$r|$c|$cr|$cc" >>"$work/$id.rounds"
  done
  IFS='|' read -r _ result[$id] cpu[$id.server] ceil[$id] cpu[$id.ceiling] \
    < <(sort -t'|' -k1,1g "$work/$id.rounds" | sed -n "$(( (rounds + 1) / 2 ))p")
  spread[$id]=$(cut -d'|' -f1 "$work/$id.rounds" | paste -sd' ')
done

# --- profile (an extra run, not counted in the table) -------------------------------------------------------
if [ -n "$profile" ]; then
  log "profiling scenario $profile on the server for ${duration} s (JFR)"
  # JFR's "profile" settings with Java samples every 1 ms instead of 10 ms, for more samples in a short run.
  sed 's|control="method-sampling-java-interval">10 ms<|control="method-sampling-java-interval">1 ms<|' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" >"$work/profile.jfc"
  jcmd "$server_pid" JFR.start name=bench settings="$work/profile.jfc" filename="$out/profile-$profile.jfr" >/dev/null
  run_wrk "$base" "$work/$profile.lua" "$duration" >&2
  jcmd "$server_pid" JFR.stop name=bench >/dev/null
  jfr print --events jdk.ExecutionSample --stack-depth 64 "$out/profile-$profile.jfr" >"$work/samples.txt"
  awk -f "$root/scripts/jfr-top.awk" "$work/samples.txt" >"$out/profile-$profile.txt"
  cat "$out/profile-$profile.txt"
fi

# --- bulk ingest again, into a warm server ------------------------------------------------------------------
# The server of the scenarios started after the load, so its bulk path has not run yet: a quarter of N further
# actions (another seed: other uuids) warm it up untimed, as wrk's warm-up does for the scenarios, then half of N
# more are timed.
bulk_load $(( (count + 1) / 2 )) $(( seed + 1 )) warm $(( (count + 3) / 4 ))
warm_bulk_rate=$bulk_rate

# --- the table -----------------------------------------------------------------------------------------------
target_text() { if [ -n "$1" ]; then echo "≥ $1 %"; else echo "none set"; fi; }
fmt_ms() { awk -v us="$1" 'BEGIN{printf "%.2f ms", us / 1000}'; }
{
  echo "actionlog benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $count actions, wrk -t$threads -c$connections," \
       "${warmup} s warm-up + $rounds round(s) of ${duration} s measured (the round with the median ratio shown)," \
       "JAVA_OPTS='${JAVA_OPTS}'"
  echo
  echo "| scenario | req/s | p50 | p99 | server CPU/request | ceiling req/s | ceiling CPU/request | ratio to ceiling | every round's ratio | target | met? |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|"
  for id in a b c d e f; do
    if [ -z "${result[$id]:-}" ]; then
      note="not run"; [ "$id" = f ] && [ -n "$waldur_note" ] && note=$waldur_note
      echo "| ($id) ${title[$id]} | $note | | | | | | | | $(target_text "${target[$id]}") | |"
      continue
    fi
    read -r rps p50 p99 non2xx errs <<<"${result[$id]}"
    read -r crps _ _ _ _ <<<"${ceil[$id]}"
    ratio=$(awk -v a="$rps" -v b="$crps" 'BEGIN{printf "%.1f", 100 * a / b}')
    met="-"
    [ -n "${target[$id]}" ] && met=$(awk -v r="$ratio" -v t="${target[$id]}" 'BEGIN{print (r >= t) ? "yes" : "no"}')
    bad=""; [ "$non2xx$errs" != 00 ] && bad=" ($non2xx non-2xx, $errs socket errors)"
    echo "| ($id) ${title[$id]} | $(printf '%.0f' "$rps")$bad | $(fmt_ms "$p50") | $(fmt_ms "$p99") |" \
         "${cpu[$id.server]} µs | $(printf '%.0f' "$crps") | ${cpu[$id.ceiling]} µs | $ratio % |" \
         "$(echo "${spread[$id]}" | sed 's/ / %, /g') % | $(target_text "${target[$id]}") | $met |"
  done
  echo "| bulk ingest, fresh server (NDJSON, curl, $bulk_lines lines a request) | $cold_bulk_rate actions/s | | | | | | | |" \
       "≥ 500000 actions/s | $(awk -v r="$cold_bulk_rate" 'BEGIN{print (r >= 500000) ? "yes" : "no"}') |"
  echo "| bulk ingest, warm server ($(( (count + 1) / 2 )) actions after $(( (count + 3) / 4 )) untimed) | $warm_bulk_rate actions/s |" \
       "| | | | | | | ≥ 500000 actions/s | $(awk -v r="$warm_bulk_rate" 'BEGIN{print (r >= 500000) ? "yes" : "no"}') |"
  echo "| replay at restart ($replay_actions actions in $replay_ms ms; listening after $ready_ms ms) |" \
       "$replay_rate actions/s | | | | | | | | ≥ 2000000 actions/s |" \
       "$(awk -v r="$replay_rate" 'BEGIN{print (r >= 2000000) ? "yes" : "no"}') |"
  echo
  echo "Load average (1 min) before → after each measured run:$loads"
} | tee "$out/results.md"
