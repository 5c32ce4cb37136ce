package dev.ringzero.bench.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.library.LookasideLibrary;
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

/**
 * The hit path ({@code ExAllocateFromNPagedLookasideList} + {@code ExFreeToNPagedLookasideList}, one thread, one
 * 64-byte entry) of three implementations loaded side by side in one executive — {@code nt}, {@code magazine} and a
 * third party's ({@link OneSlotPolicy}, found by ServiceLoader) — since issue 21 the executive calls every one
 * through the SPI ({@code LookasideCache.allocate / free}) from the same call site. {@code pollute}: whether the
 * setup first runs all three through that call site (200 000 pairs each), as a host whose drivers use all three
 * does, so that the measured one is timed with the site seeing three receiver types (megamorphic) rather than one.
 * The ratio polluted / clean per implementation is the cost of the dispatch going megamorphic.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PolicyHitPath -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PolicyHitPathBench {

    static final Owner OWNER = new Owner("PolicyHitPathBench", 1);
    static final int TAG = PoolTag.of("hcpB");
    static final int ENTRY = 64;
    static final int POLLUTION = 200_000;

    @Param({"false", "true"})
    public boolean pollute;

    private LookasideLibrary library;
    private LookasideLists nt;
    private LookasideLists magazine;
    private LookasideLists oneSlot;
    private int ntList;
    private int magazineList;
    private int oneSlotList;

    @Setup
    public void setUp() {
        library = LookasideLibrary.open(OWNER, "nt", () -> 0L); // a frozen clock: Depth stays 4, every pair hits
        PoolAllocator pool = library.pool();
        nt = library.lists("nt");
        magazine = library.lists("magazine");
        oneSlot = library.lists(OneSlotPolicy.NAME);
        ntList = newList(pool, nt);
        magazineList = newList(pool, magazine);
        oneSlotList = newList(pool, oneSlot);
        if (pollute) {
            for (int i = 0; i < POLLUTION; i++) {
                pair(nt, ntList);
                pair(magazine, magazineList);
                pair(oneSlot, oneSlotList);
            }
        }
    }

    private static int newList(PoolAllocator pool, LookasideLists lists) {
        int header = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lists.ExInitializeNPagedLookasideList(header, null, null, 0, ENTRY, TAG, 0);
        pair(lists, header); // one entry cached: every pair from now on hits
        return header;
    }

    private static int pair(LookasideLists lists, int header) {
        int entry = lists.ExAllocateFromNPagedLookasideList(header);
        lists.ExFreeToNPagedLookasideList(header, entry);
        return entry;
    }

    @TearDown
    public void tearDown() {
        PoolAllocator pool = library.pool();
        for (var l : new Object[][] {{nt, ntList}, {magazine, magazineList}, {oneSlot, oneSlotList}}) {
            ((LookasideLists) l[0]).ExDeleteNPagedLookasideList((Integer) l[1]);
            pool.ExFreePool((Integer) l[1]);
        }
        library.close();
    }

    @Benchmark
    public int ntHit() {
        return pair(nt, ntList);
    }

    @Benchmark
    public int magazineHit() {
        return pair(magazine, magazineList);
    }

    @Benchmark
    public int oneSlotHit() {
        return pair(oneSlot, oneSlotList);
    }
}
