package dev.ringzero.bench.goals;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.host.core.DriverImage;
import dev.ringzero.host.core.DriverOutcome;
import dev.ringzero.host.core.Executive;
import dev.ringzero.host.core.InProcessHost;
import java.lang.foreign.MemorySegment;
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

/**
 * W7: W1's hit path as a driver takes it — a driver loaded into the in-process host (the host's I/O manager,
 * its {@code DriverObject}) calls {@code ExAllocateFromNPagedLookasideList} / {@code ExFreeToNPagedLookasideList}
 * through the {@link LookasideLists} its {@code DriverObject} gave it ({@code driverCall}) — beside the same
 * routines on the implementation's own view of the same host ({@code providerCall}), the tap through the
 * driver's view ({@code driverTap}, with W1's 8-byte write) and W1's floor. ns per pair; run with
 * {@code -prof gc}: the driver's path allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class W7 {

    static final String DRIVER = "W7Driver";

    @Param({"magazine", "nt"})
    public String implementation;

    private InProcessHost host;
    private LookasideLists driver;
    private int driverList;
    private LookasideTap driverTap;
    private LookasideLists provider;
    private int providerList;
    private MemorySegment[] stack;
    private int top;
    private long v;

    @Setup
    public void setUp() {
        host = InProcessHost.builder().lookaside(implementation).build();
        DriverOutcome loaded = host.load(DriverImage.of(DRIVER, ListDriver.class));
        if (!loaded.loaded()) {
            throw new IllegalStateException("W7's driver did not load: " + loaded);
        }
        driver = ListDriver.lookaside;
        driverList = ListDriver.list;
        driverTap = driver.tap(driverList);                   // made on the benchmark thread: its magazine
        driverTap.free(driverTap.allocate());
        driver.ExFreeToNPagedLookasideList(driverList, driver.ExAllocateFromNPagedLookasideList(driverList));

        Executive executive = host.executive();
        Owner owner = new Owner("W7Provider", 1);
        PoolAllocator pool = executive.pool().forDriver(owner);
        provider = executive.lookasideProviders().get(implementation).forDriver(owner, pool);
        providerList = ListDriver.newList(provider, pool);
        provider.ExFreeToNPagedLookasideList(providerList, provider.ExAllocateFromNPagedLookasideList(providerList));

        stack = new MemorySegment[Peers.POOL_SIZE];
        for (top = 0; top < stack.length; top++) {
            stack[top] = Peers.block();
        }
    }

    @TearDown
    public void tearDown() {
        host.close();
    }

    @Benchmark
    public void driverCall(Blackhole bh) {
        int e = driver.ExAllocateFromNPagedLookasideList(driverList);
        bh.consume(e);
        driver.ExFreeToNPagedLookasideList(driverList, e);
    }

    @Benchmark
    public void providerCall(Blackhole bh) {
        int e = provider.ExAllocateFromNPagedLookasideList(providerList);
        bh.consume(e);
        provider.ExFreeToNPagedLookasideList(providerList, e);
    }

    @Benchmark
    public void driverTap(Blackhole bh) {
        MemorySegment s = driverTap.allocate();
        s.set(JAVA_LONG, 0, ++v);
        bh.consume(s);
        driverTap.free(s);
    }

    @Benchmark
    public void floor(Blackhole bh) {
        MemorySegment s = stack[--top];
        s.set(JAVA_LONG, 0, ++v);
        bh.consume(s);
        stack[top++] = s;
    }

    /** The driver W7 loads: one non-paged list of 64-byte entries, handed to the benchmark; deleted at unload. */
    public static final class ListDriver implements Driver {

        static volatile LookasideLists lookaside;
        static volatile int list;

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            LookasideLists lists = driverObject.service(LookasideLists.class);
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            int header = newList(lists, pool);
            driverObject.setDriverUnload(d -> {
                lists.ExDeleteNPagedLookasideList(header);
                pool.ExFreePoolWithTag(header, Ours.TAG);
            });
            list = header;
            lookaside = lists;
            return NtStatus.STATUS_SUCCESS;
        }

        static int newList(LookasideLists lists, PoolAllocator pool) {
            int header = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), Ours.TAG);
            lists.ExInitializeNPagedLookasideList(header, null, null, 0, Peers.BLOCK, Ours.TAG, 0);
            return header;
        }
    }
}
