package dev.ringzero.bench.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.library.LookasideLibrary;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
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

/**
 * The {@code nt} lookaside list's hit path — {@code ExAllocateFromNPagedLookasideList} then
 * {@code ExFreeToNPagedLookasideList} of one 64-byte entry, one thread — beside a bare Treiber stack
 * with the same header layout: {@link SLists} pop and push on an {@code SLIST_HEADER} segment in the
 * same pool memory. The difference is what the lookaside list adds to the S-list: finding the list by
 * its header address, the four NT counters, and the depth check. {@code poolAllocateFree} is what the
 * list is for: the same entry allocated from and freed to the tagged pool, in the same run.
 *
 * <p>The pool is the real one ({@code allocator-pool}'s public component, made as its ServiceLoader
 * provider method makes it); the tuner is frozen (a clock that never moves)
 * so the list stays at depth 4 and every operation hits.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar NtLookaside -f 1 -wi 2 -w 1s -i 3 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class NtLookasideBench {

    static final Owner OWNER = new Owner("NtLookasideBench", 1);
    static final int TAG = PoolTag.of("hcnB");
    static final int ENTRY = 64;

    private LookasideLibrary library;
    private PoolAllocator pool;
    private LookasideLists lists;
    private int lookaside;
    private SLists slists;
    private MemorySegment treiberHeader;

    @Setup
    public void setUp() {
        library = LookasideLibrary.open(OWNER, "nt", () -> 0L);   // a clock that never moves: the tuner never ticks
        pool = library.pool();
        lists = library.lists();

        lookaside = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lists.ExInitializeNPagedLookasideList(lookaside, null, null, 0, ENTRY, TAG, 0);
        lists.ExFreeToNPagedLookasideList(lookaside, lists.ExAllocateFromNPagedLookasideList(lookaside));

        int treiber = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        slists = new SLists(library.executivePool().memory());
        slists.InitializeSListHead(treiber);
        treiberHeader = library.executivePool().memory().resolve(treiber, NtLayouts.GENERAL_LOOKASIDE.byteSize());
        slists.push(treiberHeader, pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, ENTRY, TAG));
    }

    @TearDown
    public void tearDown() {
        library.close();
    }

    /** {@code ExAllocateFromNPagedLookasideList} + {@code ExFreeToNPagedLookasideList}: a hit and a push. */
    @Benchmark
    public int ntAllocateFree() {
        int entry = lists.ExAllocateFromNPagedLookasideList(lookaside);
        lists.ExFreeToNPagedLookasideList(lookaside, entry);
        return entry;
    }

    /** What the list saves its user: the same 64-byte entry from the pool, {@code ExAllocatePoolWithTag} + {@code ExFreePoolWithTag}. */
    @Benchmark
    public int poolAllocateFree() {
        int block = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, ENTRY, TAG);
        pool.ExFreePoolWithTag(block, TAG);
        return block;
    }

    /** The bare S-list under it: {@code InterlockedPopEntrySList} + {@code InterlockedPushEntrySList}. */
    @Benchmark
    public int treiberPopPush() {
        int entry = slists.pop(treiberHeader);
        slists.push(treiberHeader, entry);
        return entry;
    }
}
