# Summarises `jfr print --events jdk.ExecutionSample --stack-depth 64 FILE`: samples per thread group, the
# methods on top of the stack (self time), and the project's methods anywhere on the stack (inclusive time).
function method(line) {
  sub(/^[ \t]+/, "", line)
  sub(/[ \t]+line:.*$/, "", line)
  return line
}
function report(title, counts, limit,   n, i, k, keys, sorted) {
  n = 0
  for (k in counts) keys[++n] = k
  # Selection of the top entries; n is a few thousand at most.
  print "\n" title
  for (i = 1; i <= limit && i <= n; i++) {
    best = ""
    for (k in counts) if (!(k in sorted) && (best == "" || counts[k] > counts[best])) best = k
    sorted[best] = 1
    printf "  %5.1f %%  %6d  %s\n", 100 * counts[best] / total, counts[best], best
  }
}
/^jdk.ExecutionSample/ { inStack = 0; first = 1; delete seen; next }
/sampledThread = / {
  t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t)
  gsub(/[0-9]+$/, "N", t); threads[t]++; total++
  next
}
/stackTrace = \[/ { inStack = 1; next }
inStack && /^[ \t]*\]/ { inStack = 0; next }
inStack {
  m = method($0)
  if (m == "...") next
  if (first) { self[m]++; first = 0 }
  if (m ~ /^io\.actionlog\./ && !(m in seen)) { seen[m] = 1; inclusive[m]++ }
}
END {
  printf "%d execution samples\n", total
  report("samples by thread", threads, 10)
  report("top of stack (self)", self, 25)
  report("project methods on the stack (inclusive)", inclusive, 25)
}
