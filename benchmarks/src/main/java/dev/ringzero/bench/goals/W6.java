package dev.ringzero.bench.goals;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.host.core.DriverImage;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.InProcessHost;
import io.netty.util.Recycler;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
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
 * W6 (issue 20): {@code tasks} virtual-thread tasks, each doing {@value #PAIRS} allocate/free pairs (W1's: take
 * a 64-byte block, write 8 bytes, hand it to the Blackhole, give it back) on <b>one</b> shared list or pool.
 * One invocation runs every task to its end (a virtual-thread-per-task executor, closed); the score is ms per
 * invocation, which {@code benchmarks/w6.py} turns into ns per pair ({@code tasks × PAIRS} pairs) and nets of
 * {@code emptyTask} (the same tasks doing no pair: the virtual threads' own cost).
 *
 * <p>On virtual threads: {@code magazineTap} (each task asks its list for a tap, then uses it),
 * {@code magazineCall} (the NT-style routines through the {@code LookasideLists} a driver's
 * {@code DriverObject} gave it, in the in-process host: W7's driver, the path users take), {@code ntCall}
 * (NT's list, through the library's view, as in W1), Stormpot's thread-safe tap (a {@code ThreadLocal} per
 * thread) and its virtual-thread-safe tap (striped by thread id), Netty's default Recycler (which does not
 * pool on a virtual thread: #14951), plain allocation (a {@code long[8]}, left to the GC) and
 * {@code emptyTask}. On platform threads — as many as cores, a fixed pool running the same tasks:
 * {@code magazineTapPlatform}, {@code magazineCallPlatform} and {@code emptyTaskPlatform}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g",
        "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class W6 {

    static final int PAIRS = 100;
    static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Stormpot claims that timed out (after {@link #timeout}) and were asked again; printed at tear-down. */
    static final java.util.concurrent.atomic.LongAdder STORMPOT_TIMEOUTS = new java.util.concurrent.atomic.LongAdder();

    @Param({"10000", "100000"})
    public int tasks;

    private InProcessHost host;
    private LookasideLists driver;
    private int driverList;
    private Ours ours;
    private LookasideLists magazine;
    private int magazineList;
    private LookasideLists nt;
    private int ntList;
    private Pool<Peers.StormpotBlock> stormpot;
    private PoolTap<Peers.StormpotBlock> stormpotThreadSafe;
    private PoolTap<Peers.StormpotBlock> stormpotVirtualThreadSafe;
    private Recycler<HeapBlock> recycler;
    private ExecutorService platform;
    private final Timeout timeout = new Timeout(1, TimeUnit.SECONDS);

    /** The Recycler's object: a heap block, since on a virtual thread every get makes a new one. */
    static final class HeapBlock {
        final Recycler.Handle<HeapBlock> handle;
        final MemorySegment segment = MemorySegment.ofArray(new long[Peers.BLOCK / Long.BYTES]);

        HeapBlock(Recycler.Handle<HeapBlock> handle) {
            this.handle = handle;
        }
    }

    @Setup
    public void setUp() {
        host = InProcessHost.builder().lookaside("magazine").build();
        DriverOutcome loaded = host.load(DriverImage.of(W7.DRIVER, W7.ListDriver.class));
        if (!loaded.loaded()) {
            throw new IllegalStateException("W6's driver did not load: " + loaded);
        }
        driver = W7.ListDriver.lookaside;
        driverList = W7.ListDriver.list;
        ours = new Ours();
        magazine = ours.lists("magazine");
        magazineList = ours.newList(magazine, 0);
        nt = ours.lists("nt");
        ntList = ours.newList(nt, 0);
        stormpot = Peers.stormpot();
        stormpotThreadSafe = stormpot.getThreadSafeTap();
        stormpotVirtualThreadSafe = stormpot.getVirtualThreadSafeTap();
        recycler = new Recycler<>() {
            @Override
            protected HeapBlock newObject(Handle<HeapBlock> handle) {
                return new HeapBlock(handle);
            }
        };
        platform = Executors.newFixedThreadPool(CORES);
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        if (STORMPOT_TIMEOUTS.sum() > 0) {
            System.out.println("W6: Stormpot claims that timed out after " + timeout + " and were asked again: "
                    + STORMPOT_TIMEOUTS.sum());
        }
        platform.shutdownNow();
        platform.awaitTermination(10, TimeUnit.SECONDS);
        stormpot.shutdown().await(timeout);
        ours.close();
        host.close();
    }

    /** Runs {@link #tasks} copies of {@code task}, each on a virtual thread of its own, to their end. */
    private void onVirtualThreads(Runnable task) {
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < tasks; i++) {
                vts.execute(task);
            }
        }
    }

    /** Runs {@link #tasks} copies of {@code task} on the fixed pool of {@link #CORES} platform threads. */
    private void onPlatformThreads(Runnable task) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(tasks);
        Runnable counted = () -> {
            task.run();
            done.countDown();
        };
        for (int i = 0; i < tasks; i++) {
            platform.execute(counted);
        }
        done.await();
    }

    // ------------------------------------------------------------------ the tasks

    private void tapTask(LookasideLists lists, int list, Blackhole bh) {
        LookasideTap tap = lists.tap(list);
        for (int i = 0; i < PAIRS; i++) {
            MemorySegment s = tap.allocate();
            s.set(JAVA_LONG, 0, i);
            bh.consume(s);
            tap.free(s);
        }
    }

    private static void callTask(LookasideLists lists, int list, Blackhole bh) {
        for (int i = 0; i < PAIRS; i++) {
            int e = lists.ExAllocateFromNPagedLookasideList(list);
            bh.consume(e);
            lists.ExFreeToNPagedLookasideList(list, e);
        }
    }

    private void stormpotTask(PoolTap<Peers.StormpotBlock> tap, Blackhole bh) {
        try {
            for (int i = 0; i < PAIRS; i++) {
                Peers.StormpotBlock b = tap.claim(timeout);
                while (b == null) { // the claim timed out: every object was held (counted, then asked again)
                    STORMPOT_TIMEOUTS.increment();
                    b = tap.claim(timeout);
                }
                b.segment.set(JAVA_LONG, 0, i);
                bh.consume(b.segment);
                b.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ on virtual threads

    @Benchmark
    public void magazineTap(Blackhole bh) {
        onVirtualThreads(() -> tapTask(magazine, magazineList, bh));
    }

    @Benchmark
    public void magazineCall(Blackhole bh) {
        onVirtualThreads(() -> callTask(driver, driverList, bh));
    }

    @Benchmark
    public void magazineCallLibrary(Blackhole bh) {
        onVirtualThreads(() -> callTask(magazine, magazineList, bh));
    }

    @Benchmark
    public void ntCall(Blackhole bh) {
        onVirtualThreads(() -> callTask(nt, ntList, bh));
    }

    @Benchmark
    public void stormpotThreadSafeTap(Blackhole bh) {
        onVirtualThreads(() -> stormpotTask(stormpotThreadSafe, bh));
    }

    @Benchmark
    public void stormpotVirtualThreadSafeTap(Blackhole bh) {
        onVirtualThreads(() -> stormpotTask(stormpotVirtualThreadSafe, bh));
    }

    @Benchmark
    public void recyclerDefault(Blackhole bh) {
        onVirtualThreads(() -> {
            for (int i = 0; i < PAIRS; i++) {
                HeapBlock b = recycler.get();
                b.segment.set(JAVA_LONG, 0, i);
                bh.consume(b.segment);
                b.handle.recycle(b);
            }
        });
    }

    @Benchmark
    public void plainAllocation(Blackhole bh) {
        onVirtualThreads(() -> {
            for (int i = 0; i < PAIRS; i++) {
                long[] b = new long[Peers.BLOCK / Long.BYTES];
                b[0] = i;
                bh.consume(b);
            }
        });
    }

    @Benchmark
    public void emptyTask(Blackhole bh) {
        onVirtualThreads(() -> bh.consume(0));
    }

    // ------------------------------------------------------------------ on as many platform threads as cores

    @Benchmark
    public void magazineTapPlatform(Blackhole bh) throws InterruptedException {
        onPlatformThreads(() -> tapTask(magazine, magazineList, bh));
    }

    @Benchmark
    public void magazineCallPlatform(Blackhole bh) throws InterruptedException {
        onPlatformThreads(() -> callTask(driver, driverList, bh));
    }

    @Benchmark
    public void emptyTaskPlatform(Blackhole bh) throws InterruptedException {
        onPlatformThreads(() -> bh.consume(0));
    }
}
