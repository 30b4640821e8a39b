#!/usr/bin/env bash
# What one build's `verify` costs against another's, side by side:
#   scripts/bench-verify.sh --against OTHER.jar --data-dir DIR [--rounds R] [--keep]
# DIR is a stopped server's data directory (bench-proof.sh --keep leaves one of 10 M actions). It is copied once,
# since `verify` takes a directory's lock; then in each round both builds' `verify` start at the same moment, each on
# its own copy (the copies swapped every round), and each run's wall time and CPU (user + system, from
# /usr/bin/time) are printed with the ratio of the CPU (this build over the other). Both runs share the cores and
# whatever else the machine does meanwhile, so the ratio holds on a machine whose speed moves by half from one
# minute to the next, where runs taking turns cannot tell a few per cent apart. Every run must print the same
# tree_root and `integrity ok`. JAVA_OPTS (default empty) goes to every JVM. Results go to target/bench/verify.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=4 keep=0 other="" data=""
while [ $# -gt 0 ]; do
  case "$1" in
    --against) other=$(readlink -f "$2"); shift 2 ;;
    --data-dir) data=$(readlink -f "$2"); shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 --against OTHER.jar --data-dir DIR [--rounds R] [--keep]" >&2; exit 2 ;;
  esac
done
[ -n "$other" ] && [ -f "$other" ] || { echo "$0: --against OTHER.jar is needed (an existing jar)" >&2; exit 2; }
[ -n "$data" ] && [ -d "$data/journal" ] || { echo "$0: --data-dir DIR is needed (a data directory)" >&2; exit 2; }
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "$0: --rounds must be a whole number above 0" >&2; exit 2; }
[ -x /usr/bin/time ] \
  || { echo "$0: /usr/bin/time is needed (Debian: apt-get install time)" >&2; exit 1; }
. scripts/common.sh
bench_start verify
jar="$root/target/actionlog.jar"
[ -f "$jar" ] || timeout 900 mvn -B -q -DskipTests package

log "copying $data ($(du -sh "$data" | cut -f1)) for the other build's runs"
cp -a "$data" "$work/copy"
dirs=("$data" "$work/copy")

# run NAME JAR DIR: one verify, timed; its summary line goes to $work/NAME.time.
run() {
  /usr/bin/time -f "%e %U %S" -o "$work/$1.time" timeout 3600 java $JAVA_OPTS -jar "$2" verify --data-dir "$3" \
    >"$work/$1.out" 2>"$work/$1.err" || true
}

{
  echo "| round | this: wall, CPU (s) | other: wall, CPU (s) | CPU, this / other |"
  echo "|---:|---|---|---:|"
} >"$out/verify.md"
ratios=()
for r in $(seq 1 "$rounds"); do
  mine=${dirs[$(( r % 2 ))]} theirs=${dirs[$(( (r + 1) % 2 ))]}
  run this "$jar" "$mine" & a=$!
  run other "$other" "$theirs" & b=$!
  wait "$a" "$b"
  for n in this other; do
    grep -q '^integrity ok' "$work/$n.out" || { cat "$work/$n.err" >&2; log "round $r: $n build's verify failed"; exit 1; }
  done
  [ "$(grep tree_root "$work/this.out")" = "$(grep tree_root "$work/other.out")" ] \
    || { log "round $r: the two builds disagree on the root"; exit 1; }
  read -r tw tu ts <"$work/this.time"
  read -r ow ou os <"$work/other.time"
  ratio=$(awk -v a="$tu" -v b="$ts" -v c="$ou" -v d="$os" 'BEGIN{printf "%.3f", (a + b) / (c + d)}')
  ratios+=("$ratio")
  line="| $r | $tw, $(awk -v a="$tu" -v b="$ts" 'BEGIN{print a + b}') | $ow, $(awk -v a="$ou" -v b="$os" 'BEGIN{print a + b}') | $ratio |"
  echo "$line" >>"$out/verify.md"
  log "round $r: this ${tw} s wall, CPU ratio $ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END{print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
echo "" >>"$out/verify.md"
echo "Median CPU ratio (this / other): **$median**; $(grep tree_size "$work/this.out"), same root in every run." \
  >>"$out/verify.md"
cat "$out/verify.md"
