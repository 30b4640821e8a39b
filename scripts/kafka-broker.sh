#!/usr/bin/env bash
# Runs a single-node Kafka cluster (KRaft, broker and controller in one JVM) on 127.0.0.1 from the test classes:
#   scripts/kafka-broker.sh --dir DIR [--port N] [--controller-port N]
# --port is the client port (default 9092), --controller-port defaults to port + 1; DIR is formatted when empty and
# reused, topics and all, when formatted before. Prints "kafka broker listening on 127.0.0.1:N" once clients can
# connect; SIGTERM or Ctrl-C stops it cleanly. KAFKA_BROKER_JAVA_OPTS replaces the JVM options (default -Xmx512m).
set -euo pipefail
cd "$(dirname "$0")/.."

main=target/test-classes/io/actionlog/cluster/KafkaBrokerMain.class
stale=$(find src/test/java/io/actionlog/cluster -name 'KafkaBroker*.java' -newer "$main" 2>/dev/null || true)
if [ ! -f "$main" ] || [ -n "$stale" ]; then
  mvn -B -q -o test-compile >&2 || mvn -B -q test-compile >&2
fi
# The test classpath (the broker is a test dependency), built once and again only when pom.xml changes.
cp_file=target/test-classpath.txt
if [ ! -f "$cp_file" ] || [ pom.xml -nt "$cp_file" ]; then
  args=(dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file")
  mvn -B -q -o "${args[@]}" >&2 || mvn -B -q "${args[@]}" >&2
fi
# exec: SIGTERM and SIGINT reach the JVM, whose shutdown hook stops the broker.
# shellcheck disable=SC2086
exec java ${KAFKA_BROKER_JAVA_OPTS:--Xmx512m} -cp "target/test-classes:$(cat "$cp_file")" \
  io.actionlog.cluster.KafkaBrokerMain "$@"
