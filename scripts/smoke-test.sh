#!/usr/bin/env bash
# Builds target/actionlog.jar, starts it with `java -jar` on a scratch data directory and a free port on
# 127.0.0.1, records one action, reads it back, and stops the server. Bounded: gives up after 60 s.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
key=smoke-test-admin-key-0123456789
ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=0 ACTIONLOG_DATA_DIR="$work/data" ACTIONLOG_AUTH_ADMIN_KEY=$key \
  java -jar target/actionlog.jar >"$work/log" 2>&1 &
pid=$!
port=$(listening_port "$work/log" "$pid")
[ -n "$port" ] || { cat "$work/log"; echo "smoke: the server exited or did not start within 60 s"; exit 1; }
base="http://127.0.0.1:$port"
curl -fsS "$base/health" | grep -q '"UP"'
uri=$(curl -fsS -H "Authorization: Token $key" -H 'Content-Type: application/json' \
  -d '{"action":"Smoke Test","object":"/api/v1/smoke/1/"}' "$base/api/v1/action/" | grep -oE '"resource_uri":"[^"]+"' | cut -d'"' -f4)
curl -fsS -H "Authorization: Token $key" "$base$uri" | grep -q '"Smoke Test"'
curl -fsS -H "Authorization: Token $key" "$base${uri}proof/" | grep -q '"checkpoint"'
curl -fsS "$base/api/v1/integrity/checkpoint/" >"$work/kept"
echo "smoke: java -jar target/actionlog.jar served $uri and its proof on port $port"

# A clean stop signs the last checkpoint; verify then checks every one with the signature code the jar carries.
kill -TERM "$pid"
for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
  cat "$work/log"; echo "smoke: the server did not stop within 30 s of SIGTERM"; exit 1
fi
# The JVM ends a SIGTERM with 143 (128 + 15) once its shutdown hooks ran; the log says whether the stop was whole.
wait "$pid" || true
grep -q 'actionlog stopped after' "$work/log" || { cat "$work/log"; echo "smoke: the server's stop did not finish"; exit 1; }
timeout 60 java -jar target/actionlog.jar verify --data-dir "$work/data" >"$work/verify.out" 2>"$work/verify.err" || {
  cat "$work/verify.out" "$work/verify.err"; echo "smoke: verify of the stopped server's data failed"; exit 1; }
grep -q '^integrity ok$' "$work/verify.out" && grep -qE '^signed_size [1-9]' "$work/verify.out" || {
  cat "$work/verify.out"; echo "smoke: verify did not check a signed checkpoint"; exit 1; }
echo "smoke: verify of the stopped server's data directory: $(grep ^signed_size "$work/verify.out"), integrity ok"
# A checkpoint kept from the running server passes, also with a Bouncy Castle constraint set (its registry then loads
# more of its classes); the same with one signature byte changed is named forged, which takes the signature check
# down its failing path with the classes the jar carries.
timeout 60 java -Dorg.bouncycastle.constraints.quantum_vulnerable=log -jar target/actionlog.jar verify \
  --data-dir "$work/data" --checkpoint "$work/kept" >"$work/kept.out" 2>&1 || {
  cat "$work/kept.out"; echo "smoke: verify refused a checkpoint kept from the running server"; exit 1; }
python3 - "$work/kept" "$work/forged" <<'PY'
import base64, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
i = max(k for k, line in enumerate(lines) if line.startswith("\u2014 "))
head, _, sig = lines[i].rpartition(" ")
raw = bytearray(base64.b64decode(sig))
raw[10] ^= 1  # a byte of R, after the 4-byte key id
lines[i] = head + " " + base64.b64encode(bytes(raw)).decode()
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines))
PY
set +e
timeout 60 java -jar target/actionlog.jar verify --data-dir "$work/data" --checkpoint "$work/forged" >/dev/null 2>"$work/forged.err"
code=$?
set -e
[ "$code" = 1 ] && grep -q 'it is forged' "$work/forged.err" || {
  cat "$work/forged.err"; echo "smoke: verify did not name a forged checkpoint (exit $code)"; exit 1; }
echo "smoke: verify passed a kept checkpoint and named a forged one"

# The appliance jar leaves the Kafka client out: asked for cluster mode, it refuses at once and names the other jar.
set +e
ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=0 ACTIONLOG_DATA_DIR="$work/kafka" ACTIONLOG_JOURNAL_KIND=kafka \
  ACTIONLOG_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9 timeout 60 java -jar target/actionlog.jar >"$work/kafka.log" 2>&1
code=$?
set -e
if [ "$code" -eq 0 ] || [ "$code" -eq 124 ] || ! grep -q 'needs actionlog-cluster.jar' "$work/kafka.log"; then
  cat "$work/kafka.log"; echo "smoke: journal.kind=kafka on actionlog.jar was not refused naming actionlog-cluster.jar"; exit 1
fi
[ -f target/actionlog-cluster.jar ] || { echo "smoke: target/actionlog-cluster.jar was not built"; exit 1; }
echo "smoke: actionlog.jar refuses journal.kind=kafka (exit $code); actionlog-cluster.jar built"
