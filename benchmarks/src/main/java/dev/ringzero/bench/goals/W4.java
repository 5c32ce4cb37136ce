package dev.ringzero.bench.goals;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import io.netty.util.Recycler;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import stormpot.Pool;
import stormpot.PoolTap;
import stormpot.Timeout;

/**
 * W4: two threads run W1 against the same list or pool instance (the machine has 2 vCPUs; JMH's control
 * thread shares them). AverageTime, so the score is ns per pair <em>per thread</em>; compare it with the same
 * benchmark's W1. Ours: each thread's tap on one shared {@code magazine} list; the NT-style routines on one
 * shared list through one shared driver view ({@code magazine} and {@code nt}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.ringzero.bench.goals.FastThreadLocalExecutor",
        "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(2)
public class W4 {

    static final Recycler<Peers.RecycledBlock> DEFAULT_RECYCLER = Peers.defaultRecycler();

    /** What both threads share. */
    @State(Scope.Benchmark)
    public static class Shared {
        Ours ours;
        LookasideLists magazine;
        LookasideLists nt;
        int magazineList;
        int ntList;
        Pool<Peers.StormpotBlock> stormpot;
        PoolTap<Peers.StormpotBlock> threadSafeTap;
        GenericObjectPool<Peers.CommonsBlock> commons;
        MpmcVarHandleArrayQueue<MemorySegment> queue;
        final Timeout timeout = new Timeout(1, TimeUnit.SECONDS);

        @Setup
        public void setUp() {
            ours = new Ours();
            magazine = ours.lists("magazine");
            nt = ours.lists("nt");
            magazineList = ours.newList(magazine, 0);
            ntList = ours.newList(nt, 0);
            stormpot = Peers.stormpot();
            threadSafeTap = stormpot.getThreadSafeTap();
            commons = Peers.commonsPool();
            queue = Peers.jctoolsQueue();
        }

        @TearDown
        public void tearDown() throws InterruptedException {
            stormpot.shutdown().await(timeout);
            commons.close();
            ours.close();
        }
    }

    /** What each thread has for itself: its tap, its floor stack. */
    @State(Scope.Thread)
    public static class Local {
        LookasideTap tap;
        MemorySegment[] stack;
        int top;
        long v;

        @Setup
        public void setUp(Shared shared) {
            tap = shared.magazine.tap(shared.magazineList); // on the benchmark thread: that thread's magazine
            stack = new MemorySegment[4];
            for (top = 0; top < stack.length; top++) {
                stack[top] = Peers.block();
            }
        }
    }

    @Benchmark
    public void magazineTap(Local local, Blackhole bh) {
        MemorySegment s = local.tap.allocate();
        s.set(JAVA_LONG, 0, ++local.v);
        bh.consume(s);
        local.tap.free(s);
    }

    @Benchmark
    public void magazineCall(Shared shared, Blackhole bh) {
        int e = shared.magazine.ExAllocateFromNPagedLookasideList(shared.magazineList);
        bh.consume(e);
        shared.magazine.ExFreeToNPagedLookasideList(shared.magazineList, e);
    }

    @Benchmark
    public void ntCall(Shared shared, Blackhole bh) {
        int e = shared.nt.ExAllocateFromNPagedLookasideList(shared.ntList);
        bh.consume(e);
        shared.nt.ExFreeToNPagedLookasideList(shared.ntList, e);
    }

    @Benchmark
    public void floor(Local local, Blackhole bh) {
        MemorySegment s = local.stack[--local.top];
        s.set(JAVA_LONG, 0, ++local.v);
        bh.consume(s);
        local.stack[local.top++] = s;
    }

    @Benchmark
    public void recyclerDefault(Local local, Blackhole bh) {
        Peers.RecycledBlock b = DEFAULT_RECYCLER.get();
        b.segment.set(JAVA_LONG, 0, ++local.v);
        bh.consume(b.segment);
        b.handle.recycle(b);
    }

    @Benchmark
    public void stormpotThreadSafeTap(Shared shared, Local local, Blackhole bh) throws InterruptedException {
        Peers.StormpotBlock b = shared.threadSafeTap.claim(shared.timeout);
        b.segment.set(JAVA_LONG, 0, ++local.v);
        bh.consume(b.segment);
        b.release();
    }

    @Benchmark
    public void commonsPool2(Shared shared, Local local, Blackhole bh) throws Exception {
        Peers.CommonsBlock b = shared.commons.borrowObject();
        b.segment.set(JAVA_LONG, 0, ++local.v);
        bh.consume(b.segment);
        shared.commons.returnObject(b);
    }

    @Benchmark
    public void jctoolsMpmcPool(Shared shared, Local local, Blackhole bh) {
        MemorySegment s;
        while ((s = shared.queue.poll()) == null) {
            Thread.onSpinWait(); // Vyukov's queue can refuse while the other thread is mid-operation
        }
        s.set(JAVA_LONG, 0, ++local.v);
        bh.consume(s);
        while (!shared.queue.offer(s)) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void mallocCritical(Local local, Blackhole bh) throws Throwable {
        MemorySegment p = (MemorySegment) Peers.MALLOC_CRITICAL.invokeExact((long) Peers.BLOCK);
        p.reinterpret(Peers.BLOCK).set(JAVA_LONG, 0, ++local.v);
        bh.consume(p);
        Peers.FREE_CRITICAL.invokeExact(p);
    }
}
