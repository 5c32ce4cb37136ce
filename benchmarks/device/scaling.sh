#!/usr/bin/env bash
# W4 scaling on the 16-core machine: the same shared list or pool from 1, 2, 4, 8 and 16 threads, alone on
# the machine, two forks each. AverageTime per thread; throughput at N threads = N x (ns at 1) / (ns at N).
# Usage (from the repository root, a JDK 25 runtime in .jdk-runtime, the shaded jar in .bench):
#   OUT=/tmp/out bash benchmarks/device/scaling.sh
# Results: $OUT/scaling.tgz (JMH JSON per thread count) and $OUT/summary.txt.
set -u
J=${JAVA:-.jdk-runtime/bin/java}; B=${BENCH_JAR:-.bench/benchmarks.jar}; OUT=${OUT:-/tmp/out}
W=$(mktemp -d); mkdir -p "$OUT"
SET='goals.W4.(magazineTap|magazineCall|ntCall|floor|stormpotThreadSafeTap|recyclerDefault)$'
for t in 1 2 4 8 16; do
  $J -jar $B "$SET" -t $t -f 2 -wi 2 -w 1s -i 3 -r 1s -rf json -rff "$W/w4-t$t.json" > "$W/w4-t$t.log" 2>&1
  echo "== $t threads" >> "$W/summary.txt"
  grep -h -E '^W4\.[A-Za-z]+ +avgt' "$W/w4-t$t.log" >> "$W/summary.txt"
done
(cd "$W" && tar czf "$OUT/scaling.tgz" *.json *.log)
cp "$W/summary.txt" "$OUT/"
cat "$W/summary.txt"
