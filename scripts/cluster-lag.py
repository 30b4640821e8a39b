#!/usr/bin/env python3
"""The lag between two nodes of a cluster, as a client sees it (used by scripts/bench-cluster.sh):
    cluster-lag.py --key KEY --writer HOST:PORT --reader HOST:PORT [--samples N]
Each sample POSTs one action on the writer, takes the position its 201 carries, and at once asks the reader for
that action with X-Actionlog-Min-Position set to that position: the reader answers as soon as it has applied the
write, so the reader's answer time is the lag plus one local request. The same GET sent again right after (the
position now reached) is that request alone, the baseline. Both connections are kept alive. Prints one line:
"lag samples=N p50_ms=.. p99_ms=.. max_ms=.. baseline_p50_ms=.. baseline_p99_ms=..".
"""
import argparse
import http.client
import json
import time
import uuid


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def request(conn, method, path, headers, body=None):
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", required=True)
    parser.add_argument("--writer", required=True)
    parser.add_argument("--reader", required=True)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    auth = {"Authorization": "Token " + args.key}
    writer = http.client.HTTPConnection(args.writer, timeout=30)
    reader = http.client.HTTPConnection(args.reader, timeout=30)
    lags, baselines = [], []
    for i in range(args.samples):
        action = str(uuid.uuid4())
        body = json.dumps({"uuid": action, "action": "Lag Probe", "object": "/api/v1/lag/%d/" % i})
        answer = request(writer, "POST", "/api/v1/action/", dict(auth, **{"Content-Type": "application/json"}), body)
        if answer.status != 201:
            raise SystemExit("POST answered %d" % answer.status)
        position = answer.getheader("X-Actionlog-Position")
        path = "/api/v1/action/%s/" % action
        wait = dict(auth, **{"X-Actionlog-Min-Position": position})
        t0 = time.perf_counter()
        answer = request(reader, "GET", path, wait)
        t1 = time.perf_counter()
        request(reader, "GET", path, wait)
        t2 = time.perf_counter()
        if answer.status != 200:
            raise SystemExit("GET with the writer's position answered %d" % answer.status)
        lags.append((t1 - t0) * 1000)
        baselines.append((t2 - t1) * 1000)
    print("lag samples=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f baseline_p50_ms=%.2f baseline_p99_ms=%.2f" % (
        len(lags), percentile(lags, 50), percentile(lags, 99), max(lags),
        percentile(baselines, 50), percentile(baselines, 99)))


if __name__ == "__main__":
    main()
