package dev.ringzero.magazine;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.tck.TestExecutivePool;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code magazine} list under 100,000 virtual threads that come and go (issue 20): the entries the list
 * caches stay within {@link MagazineLookasideList#maxCached(int)} — at most Depth × 4 × cores — at every
 * sampled moment and at the end, with the tuner frozen (a manual ticker nobody advances); nothing stays
 * with threads that ended; nothing is left over after the delete.
 *
 * <p>What is sampled is exact, not the list's own racy sum (which can count an entry twice while it moves
 * from the depot to a magazine): the bound is the sum of the parts' bounds — at most S magazines (a fixed
 * array), each holding at most {@code min(M, Depth)}, and a depot of at most {@code Depth} — so the sampler
 * checks each part, each read being that part at one moment. At the end, with every task done, the list's own
 * count is exact and is checked against what the Allocate and Free routines say exists.
 */
class MagazineVirtualThreadsTest {

    static final Owner DRIVER = new Owner("VirtualThreads", 1);
    static final int TAG = PoolTag.of("TV");
    static final int SIZE = 64;
    static final int DEPTH = 16;
    static final int THREADS = 100_000;
    static final int PAIRS = 100;

    TestExecutivePool executive;
    TestSystem system;
    PoolAllocator pool;
    LookasideLists lists;
    /** Entries taken from the pool by the list's Allocate routine and not yet returned by its Free routine. */
    final AtomicInteger existing = new AtomicInteger();
    final AtomicLong routineAllocates = new AtomicLong();
    final AtomicLong routineFrees = new AtomicLong();

    @BeforeEach
    void setUp() {
        executive = new TestExecutivePool();
        system = new TestSystem(executive); // never advanced: the tuner is frozen
        pool = executive.forDriver(DRIVER);
        lists = system.provider("magazine").forDriver(DRIVER, pool);
    }

    @AfterEach
    void tearDown() {
        system.close();
        executive.close();
    }

    int list() {
        int header = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lists.ExInitializeNPagedLookasideList(header, (type, size, tag) -> {
            int e = pool.ExAllocatePoolWithTag(NonPagedPool, size, tag);
            routineAllocates.incrementAndGet();
            existing.incrementAndGet();
            return e;
        }, buffer -> {
            existing.decrementAndGet();
            routineFrees.incrementAndGet();
            pool.ExFreePool(buffer);
        }, 0, SIZE, TAG, 0);
        LookasideHeader.setDepth(executive.memory().resolve(header, NtLayouts.GENERAL_LOOKASIDE.byteSize()),
                DEPTH);
        return header;
    }

    @Test
    void aHundredThousandVirtualThreadsStayWithinTheBoundAndLeaveNothingBehind() throws Exception {
        int l = list();
        MagazineLookasideList list = (MagazineLookasideList) system.lookup(l);
        int bound = list.maxCached(DEPTH);
        assertThat(bound).as("the documented bound: Depth x 4 x cores at most")
                .isLessThanOrEqualTo(DEPTH * 4 * Runtime.getRuntime().availableProcessors());

        int cap = Math.min(MagazineLookasideList.MAGAZINE_SIZE, DEPTH);
        MemorySegment header = executive.memory().resolve(l, NtLayouts.GENERAL_LOOKASIDE.byteSize());
        AtomicBoolean running = new AtomicBoolean(true);
        long[] samples = {0};
        int[] worstDepot = {0};
        int[] worstMagazine = {0};
        int[] mostMagazines = {0};
        Thread sampler = Thread.ofPlatform().name("bound-sampler").start(() -> {
            while (running.get()) {
                worstDepot[0] = Math.max(worstDepot[0], dev.ringzero.api.memory.SLists.depth(header));
                List<Magazine> magazines = list.magazines();
                mostMagazines[0] = Math.max(mostMagazines[0], magazines.size());
                for (Magazine m : magazines) {
                    worstMagazine[0] = Math.max(worstMagazine[0], m.count); // racy read: a count it had at some moment
                }
                samples[0]++;
                Thread.onSpinWait();
            }
        });
        AtomicInteger taskFailures = new AtomicInteger();
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < THREADS; t++) {
                boolean viaTap = (t & 1) == 0;
                vts.submit(() -> {
                    try {
                        if (viaTap) {
                            LookasideTap tap = lists.tap(l);
                            for (int i = 0; i < PAIRS; i++) {
                                MemorySegment s = tap.allocate();
                                s.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, i);
                                tap.free(s);
                            }
                        } else {
                            for (int i = 0; i < PAIRS; i++) {
                                int e = lists.ExAllocateFromNPagedLookasideList(l);
                                lists.ExFreeToNPagedLookasideList(l, e);
                            }
                        }
                    } catch (RuntimeException | Error e) {
                        taskFailures.incrementAndGet();
                        throw e;
                    }
                });
            }
        } // close() waits for every task
        running.set(false);
        sampler.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(taskFailures).hasValue(0);
        assertThat(samples[0]).as("samples taken while the threads ran").isPositive();
        assertThat(worstDepot[0]).as("the depot at its fullest sampled moment").isLessThanOrEqualTo(DEPTH);
        assertThat(worstMagazine[0]).as("a magazine at its fullest sampled moment").isLessThanOrEqualTo(cap);
        assertThat(mostMagazines[0]).as("magazines at any sampled moment").isLessThanOrEqualTo(list.stripes.count());
        assertThat(list.stripes.count() * cap + DEPTH).as("so every moment's total is within").isEqualTo(bound);
        assertThat(LookasideHeader.depth(executive.memory().resolve(l, NtLayouts.GENERAL_LOOKASIDE.byteSize())))
                .as("the tuner never ran").isEqualTo(DEPTH);

        // at the end, every task done: what exists is what is cached, exactly, and within the bound
        LookasideInfo info = lists.query(l);
        assertThat(info.currentDepth()).isEqualTo(existing.get()).isLessThanOrEqualTo(bound);
        assertThat(info.totalAllocates()).isEqualTo((long) THREADS * PAIRS);
        assertThat(info.totalFrees()).isEqualTo((long) THREADS * PAIRS);
        assertThat(info.allocateMisses()).isEqualTo(routineAllocates.get());
        assertThat(list.magazines()).hasSizeLessThanOrEqualTo(list.stripes.count());

        // every thread has ended; one scan of the balance-set manager (a scan reaps; it does not retune
        // before its tick) leaves no magazine with a thread that ended
        list.tick();
        for (Magazine m : list.magazines()) {
            assertThat(m.ownerAcquire()).as("%s", m).isNull();
        }
        assertThat(lists.query(l).currentDepth()).isEqualTo(existing.get()).isLessThanOrEqualTo(bound);

        lists.ExDeleteNPagedLookasideList(l);
        assertThat(existing).as("every entry back in the pool after the delete").hasValue(0);
        assertThat(routineFrees.get()).isEqualTo(routineAllocates.get());
        assertThat(list.hasStranded()).isFalse();
        pool.ExFreePool(l);
        assertThat(executive.outstanding(DRIVER)).as("nothing of the driver's left in the pool").isEmpty();
    }
}
