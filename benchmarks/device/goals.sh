#!/usr/bin/env bash
# The goals run on the 16-core machine: three runs of the whole goals set side by side, each pinned to its
# own five cores (W4 needs two for its threads), then the nt/Treiber and pool benchmarks the same way, then
# the magazine's W4 at 1 and 16 threads alone.
# Usage (from the repository root, a JDK 25 runtime in .jdk-runtime, the shaded jar in .bench):
#   OUT=/tmp/out bash benchmarks/device/goals.sh
# Results: $OUT/goals.tgz (JMH JSON per run) and $OUT/summary.txt.
set -u
J=${JAVA:-.jdk-runtime/bin/java}; B=${BENCH_JAR:-.bench/benchmarks.jar}; OUT=${OUT:-/tmp/out}
W=$(mktemp -d); mkdir -p "$OUT"
NA='--enable-native-access=ALL-UNNAMED'
{ lscpu | head -20; nproc; free -g; $J -version; } > "$W/machine.txt" 2>&1
CORES=(0-4 5-9 10-14)
for r in 1 2 3; do
  taskset -c "${CORES[r-1]}" $J -Djmh.ignoreLock=true -jar $B 'dev.ringzero.bench.goals' -f 1 -wi 3 -w 1s -i 5 -r 1s \
      -prof gc -rf json -rff "$W/goals-run$r.json" > "$W/goals-run$r.log" 2>&1 &
done
wait
for r in 1 2 3; do
  taskset -c "${CORES[r-1]}" $J -Djmh.ignoreLock=true -jar $B 'NtLookaside|PoolAllocFree' -p size=64 -f 1 -wi 3 -w 1s -i 5 -r 1s \
      -jvmArgsAppend "$NA" -rf json -rff "$W/ntpool-run$r.json" > "$W/ntpool-run$r.log" 2>&1 &
done
wait
# Phase 3, alone on the machine: the magazine's W4 at 1 and 16 threads (the full 1..16 sweep is scaling.sh).
for t in 1 16; do
  $J -Djmh.ignoreLock=true -jar $B 'goals.W4.(magazineTap|magazineCall|floor)$' -t $t -f 2 -wi 2 -w 1s -i 3 -r 1s \
      -rf json -rff "$W/w4-t$t.json" > "$W/w4-t$t.log" 2>&1
done
grep -h -E '^[A-Za-z0-9]+\.[A-Za-z0-9:]+ +avgt' "$W"/goals-run1.log "$W"/ntpool-run1.log "$W"/w4-t1.log "$W"/w4-t16.log > "$W/summary.txt"
(cd "$W" && tar czf "$OUT/goals.tgz" *.json *.log machine.txt)
cp "$W/summary.txt" "$OUT/"
cat "$W/summary.txt"
