package dev.ringzero.bench.pool;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolFlags;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.pool.ExecutivePoolComponent;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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

/**
 * One block allocated and freed at once, single thread: the executive pool ({@code ExAllocatePoolWithTag}
 * + {@code ExFreePoolWithTag}, tag accounting and IRQL checks included) beside glibc {@code malloc}/{@code free}
 * through FFM downcalls (default, and {@code Linker.Option.critical(false)}, which skips the thread-state
 * transition) and an {@code Arena.ofConfined()} allocate + close.
 *
 * <p>Every variant writes 8 bytes into the block so the work cannot be eliminated: the pool through the
 * segment {@code memory.resolve(address, 8)} returns (a driver's normal way in), malloc through the returned
 * pointer. {@code poolNoTouch} is the pool's allocate + free alone. 64 B and 1 KiB are small blocks; 8 KiB is
 * a two-page block (the pool's page classes).
 *
 * <p>{@code pool2} is the modern call, {@code ExAllocatePool2(POOL_FLAG_NON_PAGED, ...)}, which zeroes the
 * block (the flags translated, then the pool's zeroing path, off the inlined fast path);
 * {@code pool2Uninitialized} adds {@code POOL_FLAG_UNINITIALIZED}, which takes the same fast path as
 * {@code pool}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PoolAllocFree
 * </pre>
 * (The {@code @Fork} arguments below enable native access and fix the heap; a {@code -jvmArgsAppend} on the
 * command line would replace them.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PoolAllocFreeBench {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemorySegment MALLOC_ADDRESS = LINKER.defaultLookup().find("malloc").orElseThrow();
    private static final MemorySegment FREE_ADDRESS = LINKER.defaultLookup().find("free").orElseThrow();
    private static final FunctionDescriptor MALLOC_TYPE = FunctionDescriptor.of(ADDRESS, JAVA_LONG);
    private static final FunctionDescriptor FREE_TYPE = FunctionDescriptor.ofVoid(ADDRESS);
    private static final MethodHandle MALLOC = LINKER.downcallHandle(MALLOC_ADDRESS, MALLOC_TYPE);
    private static final MethodHandle FREE = LINKER.downcallHandle(FREE_ADDRESS, FREE_TYPE);
    private static final MethodHandle MALLOC_CRITICAL =
            LINKER.downcallHandle(MALLOC_ADDRESS, MALLOC_TYPE, Linker.Option.critical(false));
    private static final MethodHandle FREE_CRITICAL =
            LINKER.downcallHandle(FREE_ADDRESS, FREE_TYPE, Linker.Option.critical(false));

    private static final int TAG = PoolTag.of("hcnB");

    @Param({"64", "1024", "8192"})
    int size;

    private Path dataFolder;
    private ExecutivePoolComponent pool;
    private PoolAllocator ex;
    private SystemMemory memory;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dataFolder = Files.createTempDirectory("ringzero-bench");
        pool = new ExecutivePoolComponent(Map.of("dataFolder", dataFolder.toString()));
        ex = pool.forDriver(new Owner("Bench", 1));
        memory = pool.memory();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pool.close();
        Files.deleteIfExists(dataFolder);
    }

    @Benchmark
    public void pool(Blackhole bh) {
        int address = ex.ExAllocatePoolWithTag(PoolType.NonPagedPool, size, TAG);
        memory.resolve(address, 8).set(JAVA_LONG, 0, address);
        bh.consume(address);
        ex.ExFreePoolWithTag(address, TAG);
    }

    @Benchmark
    public void poolNoTouch(Blackhole bh) {
        int address = ex.ExAllocatePoolWithTag(PoolType.NonPagedPool, size, TAG);
        bh.consume(address);
        ex.ExFreePoolWithTag(address, TAG);
    }

    @Benchmark
    public void pool2(Blackhole bh) {
        int address = ex.ExAllocatePool2(PoolFlags.POOL_FLAG_NON_PAGED, size, TAG);
        memory.resolve(address, 8).set(JAVA_LONG, 0, address);
        bh.consume(address);
        ex.ExFreePoolWithTag(address, TAG);
    }

    @Benchmark
    public void pool2Uninitialized(Blackhole bh) {
        int address = ex.ExAllocatePool2(PoolFlags.POOL_FLAG_NON_PAGED | PoolFlags.POOL_FLAG_UNINITIALIZED, size, TAG);
        memory.resolve(address, 8).set(JAVA_LONG, 0, address);
        bh.consume(address);
        ex.ExFreePoolWithTag(address, TAG);
    }

    @Benchmark
    public void malloc(Blackhole bh) throws Throwable {
        MemorySegment p = (MemorySegment) MALLOC.invokeExact((long) size);
        p.reinterpret(8).set(JAVA_LONG, 0, p.address());
        bh.consume(p);
        FREE.invokeExact(p);
    }

    @Benchmark
    public void mallocCritical(Blackhole bh) throws Throwable {
        MemorySegment p = (MemorySegment) MALLOC_CRITICAL.invokeExact((long) size);
        p.reinterpret(8).set(JAVA_LONG, 0, p.address());
        bh.consume(p);
        FREE_CRITICAL.invokeExact(p);
    }

    @Benchmark
    public void arenaConfined(Blackhole bh) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(size, 16);
            s.set(JAVA_LONG, 0, s.address());
            bh.consume(s);
        }
    }
}
