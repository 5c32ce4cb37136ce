package dev.ringzero.bench.goals;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.PoolType;
import io.netty.util.Recycler;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W5, RegMon-like: {@value #OPS} operations per invocation, each a 64-byte block taken, written, consumed and
 * given back; every 100th operation also takes one extra block while the list is empty and gives it back
 * while the list is full. Our list is held at Depth 1 with the tuner frozen, so exactly that extra block
 * misses to the tagged pool ({@code 'RgMn'}) and overflows back to it: 1 miss in 101 allocations (99.0 %
 * hits), read back from the list's own counters into {@link HitRate} ({@code allocates}, {@code allocateMisses}).
 *
 * <p>Peers: Netty's default Recycler with the same pattern (its thread-local pool keeps both objects, so it
 * never misses: conservative for the ratio), our pool alone (every allocation goes to the pool), malloc
 * with {@code critical(false)}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.ringzero.bench.goals.FastThreadLocalExecutor",
        "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class W5 {

    static final int OPS = 1_000_000;
    static final int EVERY = 100;
    static final Recycler<Peers.RecycledBlock> DEFAULT_RECYCLER = Peers.defaultRecycler();

    private Ours ours;
    private LookasideLists magazine;
    private int list;
    private LookasideTap tap;
    private long v;

    /** The list's counters over the iteration, as JMH events. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class HitRate {
        public long allocates;
        public long allocateMisses;

        @Setup(Level.Iteration)
        public void reset() {
            allocates = 0;
            allocateMisses = 0;
        }
    }

    @Setup
    public void setUp() {
        ours = new Ours();
        magazine = ours.lists("magazine");
        list = ours.newList(magazine, 1);                 // Depth 1 before any magazine exists
        tap = magazine.tap(list);
        tap.free(tap.allocate());                         // the one cached entry
    }

    @TearDown
    public void tearDown() {
        ours.close();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void magazineTap(HitRate hits, Blackhole bh) {
        LookasideInfo before = magazine.query(list);
        LookasideTap t = tap;
        int k = EVERY;
        for (int i = 0; i < OPS; i++) {
            MemorySegment s = t.allocate();
            s.set(JAVA_LONG, 0, ++v);
            bh.consume(s);
            if (--k == 0) {
                k = EVERY;
                MemorySegment extra = t.allocate();       // the list is empty: a miss, from the pool
                extra.set(JAVA_LONG, 0, v);
                bh.consume(extra);
                t.free(s);                                // fills the list (Depth 1)
                t.free(extra);                            // the list is full: back to the pool
            } else {
                t.free(s);
            }
        }
        LookasideInfo after = magazine.query(list);
        hits.allocates += after.totalAllocates() - before.totalAllocates();
        hits.allocateMisses += after.allocateMisses() - before.allocateMisses();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void magazineCall(HitRate hits, Blackhole bh) {
        LookasideInfo before = magazine.query(list);
        LookasideLists l = magazine;
        int h = list;
        int k = EVERY;
        for (int i = 0; i < OPS; i++) {
            int e = l.ExAllocateFromNPagedLookasideList(h);
            bh.consume(e);
            if (--k == 0) {
                k = EVERY;
                int extra = l.ExAllocateFromNPagedLookasideList(h);
                bh.consume(extra);
                l.ExFreeToNPagedLookasideList(h, e);
                l.ExFreeToNPagedLookasideList(h, extra);
            } else {
                l.ExFreeToNPagedLookasideList(h, e);
            }
        }
        LookasideInfo after = magazine.query(list);
        hits.allocates += after.totalAllocates() - before.totalAllocates();
        hits.allocateMisses += after.allocateMisses() - before.allocateMisses();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void recyclerDefault(Blackhole bh) {
        Recycler<Peers.RecycledBlock> r = DEFAULT_RECYCLER;
        int k = EVERY;
        for (int i = 0; i < OPS; i++) {
            Peers.RecycledBlock b = r.get();
            b.segment.set(JAVA_LONG, 0, ++v);
            bh.consume(b.segment);
            if (--k == 0) {
                k = EVERY;
                Peers.RecycledBlock extra = r.get();
                extra.segment.set(JAVA_LONG, 0, v);
                bh.consume(extra.segment);
                b.handle.recycle(b);
                extra.handle.recycle(extra);
            } else {
                b.handle.recycle(b);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void ourPool(Blackhole bh) {
        int k = EVERY;
        for (int i = 0; i < OPS; i++) {
            int a = ours.pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, Peers.BLOCK, Ours.TAG);
            MemorySegment s = ours.memory.resolve(a, 8);
            s.set(JAVA_LONG, 0, ++v);
            bh.consume(s);
            if (--k == 0) {
                k = EVERY;
                int extra = ours.pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, Peers.BLOCK, Ours.TAG);
                bh.consume(extra);
                ours.pool.ExFreePoolWithTag(a, Ours.TAG);
                ours.pool.ExFreePoolWithTag(extra, Ours.TAG);
            } else {
                ours.pool.ExFreePoolWithTag(a, Ours.TAG);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void mallocCritical(Blackhole bh) throws Throwable {
        int k = EVERY;
        for (int i = 0; i < OPS; i++) {
            MemorySegment p = (MemorySegment) Peers.MALLOC_CRITICAL.invokeExact((long) Peers.BLOCK);
            p.reinterpret(Peers.BLOCK).set(JAVA_LONG, 0, ++v);
            bh.consume(p);
            if (--k == 0) {
                k = EVERY;
                MemorySegment extra = (MemorySegment) Peers.MALLOC_CRITICAL.invokeExact((long) Peers.BLOCK);
                bh.consume(extra);
                Peers.FREE_CRITICAL.invokeExact(p);
                Peers.FREE_CRITICAL.invokeExact(extra);
            } else {
                Peers.FREE_CRITICAL.invokeExact(p);
            }
        }
    }
}
