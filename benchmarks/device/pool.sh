#!/usr/bin/env bash
# The pool's goal run on the 16-core machine: PoolAllocFreeBench, every variant (pool2 and pool2Uninitialized included).
#   default:  64 B, 1 KiB and 8 KiB in three JVMs side by side, each pinned to its own five cores, two forks
#             each (six forks per variant and size; the JVMs disturb each other somewhat: see docs/benchmarks.md)
#   ALONE=1:  one JVM alone on the machine (pinned to five cores), six forks, sizes from SIZES (default 64)
# Usage (from the repository root, a JDK 25 runtime in .jdk-runtime, the shaded jar in .bench):
#   OUT=/tmp/out bash benchmarks/device/pool.sh          or   ALONE=1 SIZES=64 OUT=/tmp/out bash benchmarks/device/pool.sh
# Results: $OUT/pool-*.json (JMH JSON), $OUT/pool.tgz (with the logs) and $OUT/summary.txt.
set -u
J=${JAVA:-.jdk-runtime/bin/java}; B=${BENCH_JAR:-.bench/benchmarks.jar}; OUT=${OUT:-/tmp/out}
W=$(mktemp -d); mkdir -p "$OUT"
{ lscpu | head -20; nproc; free -g; $J -version; } > "$W/machine.txt" 2>&1
if [ "${ALONE:-0}" = 1 ]; then
  taskset -c 2-6 $J -Djmh.ignoreLock=true -jar $B 'PoolAllocFree' -p size="${SIZES:-64}" -f 6 -wi 3 -w 1s -i 5 -r 1s \
      -rf json -rff "$W/pool-alone.json" > "$W/pool-alone.log" 2>&1
else
  CORES=(0-4 5-9 10-14)
  for r in 1 2 3; do
    taskset -c "${CORES[r-1]}" $J -Djmh.ignoreLock=true -jar $B 'PoolAllocFree' -f 2 -wi 3 -w 1s -i 5 -r 1s \
        -rf json -rff "$W/pool-run$r.json" > "$W/pool-run$r.log" 2>&1 &
  done
  wait
fi
grep -h -E '^PoolAllocFreeBench\.[A-Za-z]+ +[0-9]+ +avgt' "$W"/pool-*.log > "$W/summary.txt"
(cd "$W" && tar czf "$OUT/pool.tgz" *.json *.log machine.txt)
cp "$W"/*.json "$W/machine.txt" "$W/summary.txt" "$OUT/"
cat "$W/summary.txt"
