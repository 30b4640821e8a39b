# Shell functions of the cluster scripts (cluster-demo.sh, bench-cluster.sh); sourced after common.sh, from the
# project's root. The caller sets `work` (a scratch directory it removes), `key` (the admin key every node shares)
# and `kafka_port`; the functions fill `broker_pid`, `node_pid[NAME]` and `node_port[NAME]`.
# NODE_JAVA_OPTS (default -Xmx512m) goes to every node's JVM.

declare -A node_pid=() node_port=()
broker_pid=""

# cluster_jars: builds the two jars when either is missing (the broker's script compiles its own test classes).
cluster_jars() {
  [ -f target/actionlog-cluster.jar ] && [ -f target/actionlog.jar ] && return 0
  log "building target/actionlog.jar and target/actionlog-cluster.jar"
  timeout 900 mvn -B -q -o -DskipTests package >&2 || timeout 900 mvn -B -q -DskipTests package >&2
}

# start_broker: a single-node KRaft broker on 127.0.0.1:kafka_port (its controller on kafka_port + 1), logs in
# work/kafka; waits (bounded) for its "listening" line.
start_broker() {
  scripts/kafka-broker.sh --dir "$work/kafka" --port "$kafka_port" >"$work/broker.log" 2>&1 &
  broker_pid=$!
  for _ in $(seq 1 600); do # 300 s: the first run may compile the test classes
    grep -q 'kafka broker listening on' "$work/broker.log" && return 0
    kill -0 "$broker_pid" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 20 "$work/broker.log" >&2; log "the broker did not start"; return 1
}

# start_node NAME PORT [KIND]: a node on 127.0.0.1:PORT with data in work/NAME; KIND is kafka (default, a member
# of the cluster on the broker above) or chronicle (a single host). Appends to work/NAME.log; waits until it listens.
start_node() {
  local name=$1 port=$2 kind=${3:-kafka} log_file="$work/$1.log" before
  mkdir -p "$work/$name"
  touch "$log_file"
  before=$(wc -l <"$log_file")
  # shellcheck disable=SC2086
  ACTIONLOG_JOURNAL_KIND=$kind ACTIONLOG_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port" ACTIONLOG_KAFKA_NODE=$name \
    ACTIONLOG_KAFKA_REPLICATION_FACTOR=1 ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=$port \
    ACTIONLOG_DATA_DIR="$work/$name" ACTIONLOG_AUTH_ADMIN_KEY=$key \
    java ${NODE_JAVA_OPTS:--Xmx512m} -jar target/actionlog-cluster.jar >>"$log_file" 2>&1 &
  node_pid[$name]=$! node_port[$name]=$port
  # Only this start's lines count: the log holds the earlier starts' too.
  for _ in $(seq 1 240); do
    tail -n +$(( before + 1 )) "$log_file" | grep -q "listening on 127.0.0.1:$port" && return 0
    kill -0 "${node_pid[$name]}" 2>/dev/null || break
    sleep 0.25
  done
  tail -n 20 "$log_file" >&2; log "node $name did not start on port $port"; return 1
}

# kill_node NAME: kill -9, and reaps it.
kill_node() {
  kill -9 "${node_pid[$1]}" 2>/dev/null || true
  wait "${node_pid[$1]}" 2>/dev/null || true
  node_pid[$1]=""
}

# stop_cluster: every node, then the broker (SIGTERM each, SIGKILL after common.sh's bound).
stop_cluster() {
  local name
  for name in "${!node_pid[@]}"; do stop "${node_pid[$name]}"; done
  stop "$broker_pid"
}

# health NAME FIELD: one numeric field of the node's /health cluster object (position, topic_end, lag), or of
# /health itself (actions); empty when the node does not answer.
health() {
  curl -sS --max-time 5 "http://127.0.0.1:${node_port[$1]}/health" 2>/dev/null \
    | jq -r --arg f "$2" 'if .cluster[$f] != null then .cluster[$f] else .[$f] end // empty' 2>/dev/null || true
}

# export_list NAME MIN_POSITION FILE: the node's complete list (NDJSON export in id order) once it has applied
# MIN_POSITION commands; retries while the node answers 503 (still catching up), for at most 60 s.
export_list() {
  local code="" deadline=$(( SECONDS + 60 ))
  while [ "$SECONDS" -lt "$deadline" ]; do
    code=$(curl -sS --max-time 30 -o "$3" -w '%{http_code}' -H "Authorization: Token $key" \
      -H "X-Actionlog-Min-Position: $2" "http://127.0.0.1:${node_port[$1]}/api/v1/action/export/?order_by=id" \
      2>/dev/null || true)
    [ "$code" = 200 ] && return 0
    [ "$code" != 000 ] || sleep 0.5 # not listening (yet): a 503 has already waited kafka.read_wait_ms
  done
  log "node $1 did not reach position $2 (last answer $code)"; return 1
}
