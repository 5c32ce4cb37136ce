package dev.ringzero.bench.goals;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.PoolType;
import io.netty.util.Recycler;
import java.lang.foreign.Arena;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import stormpot.Pool;
import stormpot.PoolTap;
import stormpot.Timeout;

/**
 * W1: one thread, the hit path — take a 64-byte block, write 8 bytes into it, hand it to a Blackhole, give it
 * back — for our lookaside lists and every peer, in one JMH run (perf-anchors §9.2). ns per pair.
 *
 * <p>Ours: {@code magazineTap} ({@link LookasideTap} on a {@code magazine} list: the segment it hands out
 * is the one it was given), {@code magazineCall} and {@code ntCall} (the NT-style
 * {@code ExAllocateFromNPagedLookasideList} / {@code ExFreeToNPagedLookasideList}, which take and return a
 * system address: no segment, so no write), {@code ourPool}
 * ({@code ExAllocatePoolWithTag} + {@code ExFreePoolWithTag}, the write through {@code resolve}). The floor is
 * a thread-confined {@code MemorySegment[]} stack.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.ringzero.bench.goals.FastThreadLocalExecutor",
        "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class W1 {

    static final Recycler<Peers.RecycledBlock> DEFAULT_RECYCLER = Peers.defaultRecycler();

    private Ours ours;
    private LookasideLists magazine;
    private LookasideLists nt;
    private int magazineList;
    private int ntList;
    private LookasideTap tap;

    private MemorySegment[] stack;
    private int top;
    private MemorySegment[] poolStack;
    private int poolTop;
    private Recycler<Peers.RecycledBlock> pinned;
    private Pool<Peers.StormpotBlock> stormpot;
    private PoolTap<Peers.StormpotBlock> singleThreadedTap;
    private PoolTap<Peers.StormpotBlock> threadSafeTap;
    private final Timeout timeout = new Timeout(1, TimeUnit.SECONDS);
    private GenericObjectPool<Peers.CommonsBlock> commons;
    private MpmcVarHandleArrayQueue<MemorySegment> queue;
    private long v;

    @Setup
    public void setUp() throws Exception {
        ours = new Ours();
        magazine = ours.lists("magazine");
        nt = ours.lists("nt");
        magazineList = ours.newList(magazine, 0);
        ntList = ours.newList(nt, 0);
        tap = magazine.tap(magazineList);                  // made on the benchmark thread: its magazine
        tap.free(tap.allocate());                          // one miss, then every op hits
        magazine.ExFreeToNPagedLookasideList(magazineList, magazine.ExAllocateFromNPagedLookasideList(magazineList));
        nt.ExFreeToNPagedLookasideList(ntList, nt.ExAllocateFromNPagedLookasideList(ntList));

        stack = new MemorySegment[Peers.POOL_SIZE];
        for (top = 0; top < stack.length; top++) {
            stack[top] = Peers.block();
        }
        poolStack = new MemorySegment[Peers.POOL_SIZE];
        for (poolTop = 0; poolTop < poolStack.length; poolTop++) {
            poolStack[poolTop] = ours.memory.resolve(
                    ours.pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, Peers.BLOCK, Ours.TAG), Peers.BLOCK);
        }
        pinned = Peers.pinnedRecycler();                   // pinned to the benchmark thread
        stormpot = Peers.stormpot();
        singleThreadedTap = stormpot.getSingleThreadedTap();
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

    // ---- ours

    @Benchmark
    public void magazineTap(Blackhole bh) {
        MemorySegment s = tap.allocate();
        s.set(JAVA_LONG, 0, ++v);
        bh.consume(s);
        tap.free(s);
    }

    @Benchmark
    public void magazineCall(Blackhole bh) {
        int e = magazine.ExAllocateFromNPagedLookasideList(magazineList);
        bh.consume(e);
        magazine.ExFreeToNPagedLookasideList(magazineList, e);
    }

    @Benchmark
    public void ntCall(Blackhole bh) {
        int e = nt.ExAllocateFromNPagedLookasideList(ntList);
        bh.consume(e);
        nt.ExFreeToNPagedLookasideList(ntList, e);
    }

    @Benchmark
    public void ourPool(Blackhole bh) {
        int a = ours.pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, Peers.BLOCK, Ours.TAG);
        MemorySegment s = ours.memory.resolve(a, 8);
        s.set(JAVA_LONG, 0, ++v);
        bh.consume(s);
        ours.pool.ExFreePoolWithTag(a, Ours.TAG);
    }

    // ---- the floor

    @Benchmark
    public void floor(Blackhole bh) {
        MemorySegment s = stack[--top];
        s.set(JAVA_LONG, 0, ++v);
        bh.consume(s);
        stack[top++] = s;
    }

    /** The floor again, over blocks of our pool's memory (the segments our lists hand out) instead of an arena's. */
    @Benchmark
    public void floorPoolMemory(Blackhole bh) {
        MemorySegment s = poolStack[--poolTop];
        s.set(JAVA_LONG, 0, ++v);
        bh.consume(s);
        poolStack[poolTop++] = s;
    }

    // ---- peers

    @Benchmark
    public void recyclerPinned(Blackhole bh) {
        Peers.RecycledBlock b = pinned.get();
        b.segment.set(JAVA_LONG, 0, ++v);
        bh.consume(b.segment);
        b.handle.recycle(b);
    }

    @Benchmark
    public void recyclerDefault(Blackhole bh) {
        Peers.RecycledBlock b = DEFAULT_RECYCLER.get();
        b.segment.set(JAVA_LONG, 0, ++v);
        bh.consume(b.segment);
        b.handle.recycle(b);
    }

    @Benchmark
    public void stormpotSingleThreadedTap(Blackhole bh) throws InterruptedException {
        Peers.StormpotBlock b = singleThreadedTap.claim(timeout);
        b.segment.set(JAVA_LONG, 0, ++v);
        bh.consume(b.segment);
        b.release();
    }

    @Benchmark
    public void stormpotThreadSafeTap(Blackhole bh) throws InterruptedException {
        Peers.StormpotBlock b = threadSafeTap.claim(timeout);
        b.segment.set(JAVA_LONG, 0, ++v);
        bh.consume(b.segment);
        b.release();
    }

    @Benchmark
    public void commonsPool2(Blackhole bh) throws Exception {
        Peers.CommonsBlock b = commons.borrowObject();
        b.segment.set(JAVA_LONG, 0, ++v);
        bh.consume(b.segment);
        commons.returnObject(b);
    }

    @Benchmark
    public void jctoolsMpmcPool(Blackhole bh) {
        MemorySegment s = queue.poll();
        s.set(JAVA_LONG, 0, ++v);
        bh.consume(s);
        while (!queue.offer(s)) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void mallocDefault(Blackhole bh) throws Throwable {
        MemorySegment p = (MemorySegment) Peers.MALLOC.invokeExact((long) Peers.BLOCK);
        p.reinterpret(Peers.BLOCK).set(JAVA_LONG, 0, ++v);
        bh.consume(p);
        Peers.FREE.invokeExact(p);
    }

    @Benchmark
    public void mallocCritical(Blackhole bh) throws Throwable {
        MemorySegment p = (MemorySegment) Peers.MALLOC_CRITICAL.invokeExact((long) Peers.BLOCK);
        p.reinterpret(Peers.BLOCK).set(JAVA_LONG, 0, ++v);
        bh.consume(p);
        Peers.FREE_CRITICAL.invokeExact(p);
    }

    @Benchmark
    public void arenaConfined(Blackhole bh) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(Peers.BLOCK);
            s.set(JAVA_LONG, 0, ++v);
            bh.consume(s);
        }
    }
}
