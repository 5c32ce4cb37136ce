package dev.ringzero.tck;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.lookaside.LookasideServices;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link LookasideLists}, whatever implementation serves the lists: NT's header
 * values, counters and depth rules (nt-semantics §2), the Ex routine's statuses, delete and flush,
 * the bug checks, and the registry and tuner's view of the lists. Each implementation runs it through
 * one tiny subclass:
 * {@snippet :
 * class MyPolicyTest extends LookasideListsContract {
 *     @Override
 *     protected LookasidePolicy policy() {
 *         return new MyPolicy();
 *     }
 * }
 * }
 * in a test source set that has this artifact, {@code allocator-lookaside} (the executive, found with
 * {@link ServiceLoader} as a host finds it) and JUnit 5 on its path. The suite runs on the real executive pool
 * ({@code allocator-pool}, this artifact's runtime dependency); {@link #newPool()} may pick the stand-in instead.
 *
 * <p>Everything is read the way NT code would read it — header fields from the caller's memory at the
 * {@code GENERAL_LOOKASIDE} offsets, or through {@code query} — and nothing here knows how an
 * implementation caches entries.
 */
public abstract class LookasideListsContract {

    static final Owner DRIVER = new Owner("LookasideList", 1);
    static final Owner OTHER = new Owner("Other", 2);
    static final int TAG = PoolTag.of("msaW");
    static final int HEADER_TAG = PoolTag.of("HdrT");
    static final int WINE = 0x454e4957;
    static final int ENTRY_SIZE = 40;

    PoolUnderTest executive;
    SystemMemory memory;
    LookasideServices services;
    /** The executive's registry: every live list, {@code !lookaside}, the tuner (driven by hand here). */
    LookasideRegistry system;
    /** The implementation under test, registered. */
    LookasideProvider provider;
    PoolAllocator pool;
    LookasideLists lists;
    final List<Map.Entry<Owner, BugCheck>> faults = new ArrayList<>();

    /** The implementation under test: its caching policy. */
    protected abstract LookasidePolicy policy();

    /**
     * The implementation under test as the executive serves it: {@link #policy()} registered with {@code registry},
     * in place of one of the same name that {@link ServiceLoader} found on the test path. The built-in {@code nt},
     * which cannot be replaced, overrides this to return the registry's own.
     */
    protected LookasideProvider provider(LookasideRegistry registry) {
        LookasidePolicy policy = policy();
        if (registry.providers().stream().anyMatch(p -> p.name().equals(policy.name()))) {
            registry.unregister(policy.name());
        }
        return registry.register(policy);
    }

    /** The pool the lists allocate from: the real executive pool, unless a subclass picks the stand-in. */
    protected PoolUnderTest newPool() {
        return new RealExecutivePool();
    }

    @BeforeEach
    void setUpSystem() {
        executive = newPool();
        memory = executive.memory();
        // as a host assembles it, with a clock that never advances: the suite drives the tuner by hand
        services = ServiceLoader.load(LookasideServices.Factory.class).findFirst().orElseThrow(() ->
                        new IllegalStateException("no LookasideServices.Factory on the test path: add allocator-lookaside"))
                .create(executive, () -> 0L, false);
        system = services.registry();
        system.setFaultHandler((owner, bugCheck) -> faults.add(Map.entry(owner, bugCheck)));
        pool = executive.forDriver(DRIVER);
        provider = provider(system);
        lists = provider.forDriver(DRIVER, pool);
    }

    @AfterEach
    void tearDownSystem() {
        Irql.resetToPassive();
        services.close();
        executive.close();
    }

    // ---- helpers

    int pagedHeader() {
        return pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.PAGED_LOOKASIDE_LIST.byteSize(), HEADER_TAG);
    }

    int npagedHeader() {
        return pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), HEADER_TAG);
    }

    int exHeader() {
        return pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.LOOKASIDE_LIST_EX.byteSize(), HEADER_TAG);
    }

    int npagedList() {
        int header = npagedHeader();
        lists.ExInitializeNPagedLookasideList(header, null, null, 0, ENTRY_SIZE, TAG, 0);
        return header;
    }

    int pagedList() {
        int header = pagedHeader();
        lists.ExInitializePagedLookasideList(header, null, null, 0, ENTRY_SIZE, TAG, 0);
        return header;
    }

    static int off(String field) {
        return (int) NtLayouts.FIELD_OFFSET(NtLayouts.GENERAL_LOOKASIDE, field);
    }

    int u16(int header, String field) {
        return Short.toUnsignedInt(memory.resolve(header + off(field), 2).get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
    }

    void setU16(int header, String field, int value) {
        memory.resolve(header + off(field), 2).set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) value);
    }

    int u32(int header, String field) {
        return memory.readInt(header + off(field));
    }

    int[] allocate(int header, int n) {
        int[] entries = new int[n];
        for (int i = 0; i < n; i++) {
            entries[i] = lists.ExAllocateFromNPagedLookasideList(header);
        }
        return entries;
    }

    void free(int header, int... entries) {
        for (int e : entries) {
            lists.ExFreeToNPagedLookasideList(header, e);
        }
    }

    static BugCheck bugCheck(Runnable r) {
        return catchThrowableOfType(BugCheck.class, r::run);
    }

    /** Runs {@code r} at {@code irql}, back at PASSIVE_LEVEL afterwards. */
    static void atIrql(int irql, Runnable r) {
        int old = Irql.KeRaiseIrql(irql);
        try {
            r.run();
        } finally {
            Irql.KeLowerIrql(old);
        }
    }

    // ---- §2.3: Wine's test_lookaside_list, whose assertions hold on real Windows

    @Nested
    class WineTestLookasideList {

        void assertFreshList(int header, int type, int tag, int size) {
            assertThat(u16(header, "Depth")).as("Depth").isEqualTo(4);
            assertThat(u16(header, "MaximumDepth")).as("MaximumDepth").isEqualTo(256);
            assertThat(u32(header, "TotalAllocates")).as("TotalAllocates").isZero();
            assertThat(u32(header, "AllocateMisses")).as("AllocateMisses").isZero();
            assertThat(u32(header, "TotalFrees")).as("TotalFrees").isZero();
            assertThat(u32(header, "FreeMisses")).as("FreeMisses").isZero();
            assertThat(u32(header, "Type")).as("Type").isEqualTo(type);
            assertThat(u32(header, "Tag")).as("Tag").isEqualTo(tag);
            assertThat(u32(header, "Size")).as("Size").isEqualTo(size);
            assertThat(u32(header, "LastTotalAllocates")).as("LastTotalAllocates").isZero();
            assertThat(u32(header, "LastAllocateMisses")).as("LastAllocateMisses").isZero();
        }

        @Test
        void npagedListStartsAtDepth4WithFlagsInTypeAndIgnoresTheDepthArgument() {
            int l = npagedHeader();
            lists.ExInitializeNPagedLookasideList(l, null, null, PoolType.POOL_NX_ALLOCATION,
                    NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE, WINE, 0);
            assertFreshList(l, 0x200, WINE, NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE);
            lists.ExDeleteNPagedLookasideList(l);

            setU16(l, "Depth", 0);
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE, WINE, 20);
            assertFreshList(l, NonPagedPool, WINE, NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE);
            lists.ExDeleteNPagedLookasideList(l);
        }

        @Test
        void pagedListStartsAtDepth4WithFlagsInTypeAndIgnoresTheDepthArgument() {
            int l = pagedHeader();
            lists.ExInitializePagedLookasideList(l, null, null, PoolType.POOL_NX_ALLOCATION,
                    NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE, WINE, 0);
            assertFreshList(l, 0x201, WINE, NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE);
            lists.ExDeletePagedLookasideList(l);

            setU16(l, "Depth", 0);
            lists.ExInitializePagedLookasideList(l, null, null, 0, NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE, WINE, 20);
            assertFreshList(l, PagedPool, WINE, NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE);
            lists.ExDeletePagedLookasideList(l);
        }
    }

    // ---- §2.4: ExInitializeLookasideListEx

    @Nested
    class InitializeLookasideListEx {

        @Test
        void acceptsDepthZero256And1024AsMaximumDepth() {
            int[] depths = {0, 256, 1024};
            int[] maxima = {256, 256, 1024};
            for (int i = 0; i < depths.length; i++) {
                int l = exHeader();
                assertThat(lists.ExInitializeLookasideListEx(l, null, null, NonPagedPool, 0, ENTRY_SIZE, TAG, depths[i]))
                        .isEqualTo(NtStatus.STATUS_SUCCESS);
                assertThat(u16(l, "Depth")).isEqualTo(4);
                assertThat(u16(l, "MaximumDepth")).isEqualTo(maxima[i]);
                lists.ExDeleteLookasideListEx(l);
            }
        }

        @Test
        void rejectsAnyOtherDepthWithInvalidParameter8() {
            int l = exHeader();
            assertThat(lists.ExInitializeLookasideListEx(l, null, null, NonPagedPool, 0, ENTRY_SIZE, TAG, 20))
                    .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER_8);
            assertThat(system.find(l)).isEmpty();
        }

        @Test
        void rejectsUnknownFlagsWithInvalidParameter5() {
            int l = exHeader();
            assertThat(lists.ExInitializeLookasideListEx(l, null, null, NonPagedPool, 3, ENTRY_SIZE, TAG, 0))
                    .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER_5);
            assertThat(lists.ExInitializeLookasideListEx(l, null, null, NonPagedPool, 4, ENTRY_SIZE, TAG, 0))
                    .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER_5);
            assertThat(system.find(l)).isEmpty();
        }

        @Test
        void rejectsRaiseQuotaHighBitsAndDontUseThisTypeWithInvalidParameter4() {
            int l = exHeader();
            for (int type : new int[] {NonPagedPool | PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE,
                    PagedPool | PoolType.POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, NonPagedPool | PoolType.POOL_ZERO_ALLOCATION,
                    PoolType.DontUseThisType}) {
                assertThat(lists.ExInitializeLookasideListEx(l, null, null, type, 0, ENTRY_SIZE, TAG, 0))
                        .as("pool type 0x%x", type).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER_4);
            }
            assertThat(system.find(l)).isEmpty();
        }

        @Test
        void checksDepthBeforeFlagsBeforePoolType() {
            int l = exHeader();
            assertThat(lists.ExInitializeLookasideListEx(l, null, null, PoolType.DontUseThisType, 7, ENTRY_SIZE, TAG, 5))
                    .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER_8);
            assertThat(lists.ExInitializeLookasideListEx(l, null, null, PoolType.DontUseThisType, 7, ENTRY_SIZE, TAG, 0))
                    .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER_5);
        }

        @Test
        void orsRaiseOnFailAndFailNoRaiseFlagsIntoType() {
            int raise = exHeader();
            lists.ExInitializeLookasideListEx(raise, null, null, NonPagedPool, 1, ENTRY_SIZE, TAG, 0);
            assertThat(u32(raise, "Type")).isEqualTo(NonPagedPool | PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE);
            int quota = exHeader();
            lists.ExInitializeLookasideListEx(quota, null, null, PoolType.NonPagedPoolNx, 2, ENTRY_SIZE, TAG, 0);
            assertThat(u32(quota, "Type")).isEqualTo(0x200 | PoolType.POOL_QUOTA_FAIL_INSTEAD_OF_RAISE);
        }

        @Test
        void pagedPoolTypeMakesAPagedList() {
            int l = exHeader();
            lists.ExInitializeLookasideListEx(l, null, null, PagedPool, 0, ENTRY_SIZE, TAG, 0);
            int e = lists.ExAllocateFromLookasideListEx(l);
            assertThat(Integer.toUnsignedLong(e)).isGreaterThanOrEqualTo(Integer.toUnsignedLong(SystemMemory.PAGED_POOL_START));
            lists.ExFreeToLookasideListEx(l, e);
            assertThat(lists.query(l).currentDepth()).isEqualTo(1);
        }

        @Test
        void customExRoutinesReceiveTheListsAddress() {
            int l = exHeader();
            List<String> calls = new ArrayList<>();
            lists.ExInitializeLookasideListEx(l, (type, size, tag, lookaside) -> {
                calls.add(String.format("AllocateEx(%x, %d, %s, %08X)", type, size, PoolTag.toString(tag), lookaside));
                return pool.ExAllocatePoolWithTag(type, size, tag);
            }, (buffer, lookaside) -> {
                calls.add(String.format("FreeEx(%08X)", lookaside));
                pool.ExFreePool(buffer);
            }, NonPagedPool, 0, ENTRY_SIZE, TAG, 0);
            int e = lists.ExAllocateFromLookasideListEx(l);
            lists.ExFreeToLookasideListEx(l, e);
            lists.ExDeleteLookasideListEx(l);
            assertThat(calls).containsExactly(String.format("AllocateEx(0, 40, Wasm, %08X)", l),
                    String.format("FreeEx(%08X)", l));
        }
    }

    // ---- §2.5: allocate and free

    @Nested
    class AllocateAndFree {

        @Test
        void countersFollowNtsHitAndMissRules() {
            int l = npagedList();
            int[] a = allocate(l, 3);                 // empty list: three misses, each from the pool
            assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses)
                    .containsExactly(3L, 3L);
            free(l, a);                                // Depth 4: all three cached
            assertThat(lists.query(l)).extracting(LookasideInfo::totalFrees, LookasideInfo::freeMisses,
                    LookasideInfo::currentDepth).containsExactly(3L, 0L, 3);
            int b = lists.ExAllocateFromNPagedLookasideList(l);  // a hit: only TotalAllocates moves
            assertThat(b).isEqualTo(a[2]);
            assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                    LookasideInfo::currentDepth).containsExactly(4L, 3L, 2);
            free(l, b);
            int[] c = allocate(l, 5);                 // three hits, then two misses
            assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                    LookasideInfo::currentDepth).containsExactly(9L, 5L, 0);
            free(l, c);                                // four cached, the fifth overflows to the pool
            LookasideInfo info = lists.query(l);
            assertThat(info).extracting(LookasideInfo::totalFrees, LookasideInfo::freeMisses,
                    LookasideInfo::currentDepth, LookasideInfo::depth).containsExactly(9L, 1L, 4, 4);
            assertThat(u32(l, "TotalAllocates")).isEqualTo(9);
            assertThat(u32(l, "AllocateMisses")).isEqualTo(5);
            assertThat(u32(l, "TotalFrees")).isEqualTo(9);
            assertThat(u32(l, "FreeMisses")).isEqualTo(1);
        }

        @Test
        void aHitReturnsTheMostRecentlyFreedEntry() {
            int l = npagedList();
            int[] a = allocate(l, 2);
            free(l, a[0], a[1]);
            assertThat(lists.ExAllocateFromNPagedLookasideList(l)).isEqualTo(a[1]);
            assertThat(lists.ExAllocateFromNPagedLookasideList(l)).isEqualTo(a[0]);
        }

        @Test
        void missesAllocateFromTheOwnersPoolWithTypeSizeAndTag() {
            int l = pagedHeader();
            lists.ExInitializePagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0);
            int e = lists.ExAllocateFromPagedLookasideList(l);
            PoolBlockInfo b = executive.block(e);
            assertThat(b.owner()).isEqualTo(DRIVER);
            assertThat(b.tag()).isEqualTo(TAG);
            assertThat(b.size()).isEqualTo(ENTRY_SIZE);
            assertThat(b.poolType()).isEqualTo(PagedPool);
            lists.ExFreeToPagedLookasideList(l, e);
            lists.ExDeletePagedLookasideList(l);
            assertThat(executive.block(e)).as("the cached entry went back to the pool").isNull();
        }

        @Test
        void depthCapsTheCachedEntriesAndTheRestGoBackToThePool() {
            int l = npagedList();
            int[] a = allocate(l, 6);
            int freesBefore = executive.frees(DRIVER);
            free(l, a);
            assertThat(lists.query(l).currentDepth()).isEqualTo(4);
            assertThat(lists.query(l).freeMisses()).isEqualTo(2);
            assertThat(executive.frees(DRIVER) - freesBefore).isEqualTo(2);
            assertThat(executive.block(a[4])).isNull();
            assertThat(executive.block(a[5])).isNull();
        }

        @Test
        void sizeBelowTheMinimumIsRoundedUpToHoldTheLink() {
            int l = npagedHeader();
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, 1, TAG, 0);
            assertThat(u32(l, "Size")).isEqualTo(NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE);
            int e = lists.ExAllocateFromNPagedLookasideList(l);
            lists.ExFreeToNPagedLookasideList(l, e);
            assertThat(lists.ExAllocateFromNPagedLookasideList(l)).isEqualTo(e);
        }

        @Test
        void customRoutinesServeMissesAndOverflow() {
            int l = npagedHeader();
            List<String> calls = new ArrayList<>();
            lists.ExInitializeNPagedLookasideList(l, (type, size, tag) -> {
                calls.add(String.format("Allocate(%x, %d, %s)", type, size, PoolTag.toString(tag)));
                return pool.ExAllocatePoolWithTag(type, size, tag);
            }, buffer -> {
                calls.add("Free");
                pool.ExFreePool(buffer);
            }, PoolType.POOL_NX_ALLOCATION, ENTRY_SIZE, TAG, 0);
            int[] a = allocate(l, 5);
            free(l, a);
            assertThat(calls).containsExactly("Allocate(200, 40, Wasm)", "Allocate(200, 40, Wasm)",
                    "Allocate(200, 40, Wasm)", "Allocate(200, 40, Wasm)", "Allocate(200, 40, Wasm)", "Free");
        }

        @Test
        void allocateReturnsNullWhenTheAllocateRoutineFailsAndStillCounts() {
            int l = npagedList();
            executive.failNextAllocations(1);
            assertThat(lists.ExAllocateFromNPagedLookasideList(l)).isZero();
            assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses)
                    .containsExactly(1L, 1L);
        }

        @Test
        void tapCountsExactlyLikeTheRoutines() {
            int l = npagedList();
            LookasideTap tap = lists.tap(l);
            assertThat(tap.lookaside()).isEqualTo(l);
            MemorySegment a = tap.allocate();
            assertThat(a.byteSize()).isEqualTo(ENTRY_SIZE);
            a.set(ValueLayout.JAVA_LONG, 8, 0x1122334455667788L);
            tap.free(a);
            MemorySegment b = tap.allocate();
            assertThat(memory.addressOf(b)).isEqualTo(memory.addressOf(a));
            tap.free(b);
            assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                    LookasideInfo::totalFrees, LookasideInfo::freeMisses).containsExactly(2L, 1L, 2L, 0L);
        }

        @Test
        void tapOfADeletedListIsABugCheck() {
            int l = npagedList();
            LookasideTap tap = lists.tap(l);
            lists.ExDeleteNPagedLookasideList(l);
            BugCheck b = bugCheck(tap::allocate);
            assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
            assertThat(b.parameter1()).isEqualTo(Integer.toUnsignedLong(l));
        }

        @Test
        void allocateAndFreeAreNotIrqlChecked() {
            int l = npagedList();
            free(l, allocate(l, 1));
            atIrql(Irql.HIGH_LEVEL, () -> {                 // a hit and a push: no routine, no IRQL check
                int e = lists.ExAllocateFromNPagedLookasideList(l);
                lists.ExFreeToNPagedLookasideList(l, e);
            });
            assertThat(lists.query(l).allocateMisses()).isEqualTo(1);
        }
    }

    // ---- the verifier

    @Nested
    class UnderTheVerifier {

        @BeforeEach
        void verify() {
            executive.setVerified(DRIVER, true);
        }

        /**
         * The pool records a verified driver's allocation sites; a list's refill from the pool is charged to the
         * driver's line, the list's own frames passed over (the list is given the pool's view itself, as a host
         * gives a driver's). Only the real pool records sites.
         */
        @Test
        void aRefillFromThePoolIsChargedToTheLineThatAllocated() {
            assumeTrue(executive instanceof RealExecutivePool, "the stand-in pool records no allocation sites");
            LookasideLists direct = provider.forDriver(DRIVER, ((RealExecutivePool) executive).unwrapped(DRIVER));
            int l = npagedHeader();
            direct.ExInitializeNPagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0);
            int entry = direct.ExAllocateFromNPagedLookasideList(l); // depth 0 under the verifier: a miss to the pool
            PoolBlockInfo leak = executive.outstanding(DRIVER).stream().filter(b -> b.address() == entry).findFirst()
                    .orElseThrow();
            assertThat(leak.allocationSite()).isNotNull();
            assertThat(leak.allocationSite().getClassName()).isEqualTo(UnderTheVerifier.class.getName());
            assertThat(leak.allocationSite().getMethodName()).isEqualTo("aRefillFromThePoolIsChargedToTheLineThatAllocated");
            direct.ExFreeToNPagedLookasideList(l, entry);
            direct.ExDeleteNPagedLookasideList(l);
        }

        @Test
        void aVerifiedOwnersListHasDepthZeroSoEveryAllocateAndFreeMisses() {
            int l = npagedList();
            assertThat(u16(l, "Depth")).isZero();
            assertThat(u16(l, "MaximumDepth")).isEqualTo(256);
            int[] a = allocate(l, 3);
            free(l, a);
            int b = lists.ExAllocateFromNPagedLookasideList(l);
            lists.ExFreeToNPagedLookasideList(l, b);
            assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                    LookasideInfo::totalFrees, LookasideInfo::freeMisses, LookasideInfo::currentDepth)
                    .containsExactly(4L, 4L, 4L, 4L, 0);
        }

        @Test
        void theTunerKeepsAVerifiedOwnersListAtDepthZero() {
            int l = npagedList();
            allocate(l, 100);
            system.adjustLookasideDepth();
            assertThat(u16(l, "Depth")).isZero();
        }

        @Test
        void entrySizeBelowTheMinimumIsC4Cd() {
            int l = npagedHeader();
            BugCheck b = bugCheck(() -> lists.ExInitializeNPagedLookasideList(l, null, null, 0, 2, TAG, 0));
            assertThat(b.code()).isEqualTo(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION);
            assertThat(List.of(b.parameter1(), b.parameter2(), b.parameter3(), b.parameter4()))
                    .containsExactly(0xCDL, Integer.toUnsignedLong(l), 2L, 4L);
        }

        @Test
        void reinitializingALiveListIsC4Ca() {
            int l = npagedList();
            BugCheck b = bugCheck(() -> lists.ExInitializeNPagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0));
            assertThat(b.code()).isEqualTo(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION);
            assertThat(b.parameter1()).isEqualTo(0xCA);
            assertThat(b.parameter2()).isEqualTo(Integer.toUnsignedLong(l));
        }

        @Test
        void deletingAnUninitializedListIsC4Cb() {
            int l = npagedHeader();
            BugCheck b = bugCheck(() -> lists.ExDeleteNPagedLookasideList(l));
            assertThat(b.code()).isEqualTo(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION);
            assertThat(b.parameter1()).isEqualTo(0xCB);
            assertThat(b.parameter2()).isEqualTo(Integer.toUnsignedLong(l));
        }

        @Test
        void deletingTwiceIsC4Cb() {
            int l = npagedList();
            lists.ExDeleteNPagedLookasideList(l);
            BugCheck b = bugCheck(() -> lists.ExDeleteNPagedLookasideList(l));
            assertThat(b.parameter1()).isEqualTo(0xCB);
            assertThat(b.getMessage()).contains(String.format("%08X", l)).contains("deleted by " + DRIVER);
        }
    }

    // ---- misuse without the verifier

    @Nested
    class Misuse {

        @Test
        void reinitializingALiveListIsACorruptListEntryFastFail() {
            int l = npagedList();
            BugCheck b = bugCheck(() -> lists.ExInitializeNPagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0));
            assertThat(b.code()).isEqualTo(BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE);
            assertThat(b.parameter1()).isEqualTo(3);
            assertThat(b.getMessage()).contains(String.format("%08X", l)).contains(DRIVER.toString());
        }

        @Test
        void reinitializingAfterDeleteIsAllowed() {
            int l = npagedList();
            free(l, allocate(l, 2));
            lists.ExDeleteNPagedLookasideList(l);
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0);
            assertThat(system.find(l)).isPresent();
            free(l, allocate(l, 1));
            assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                    LookasideInfo::currentDepth).containsExactly(1L, 1L, 1);
        }

        @Test
        void deletingAnUninitializedListIsACorruptListEntryFastFail() {
            int l = npagedHeader();
            BugCheck b = bugCheck(() -> lists.ExDeleteNPagedLookasideList(l));
            assertThat(b.code()).isEqualTo(BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE);
            assertThat(b.getMessage()).contains(String.format("%08X", l)).contains("never initialized");
        }

        @Test
        void deletingAnotherDriversListIsRefused() {
            int l = npagedList();
            LookasideLists others = provider.forDriver(OTHER, executive.forDriver(OTHER));
            BugCheck b = bugCheck(() -> others.ExDeleteNPagedLookasideList(l));
            assertThat(b.code()).isEqualTo(BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE);
            assertThat(b.getMessage()).contains("belongs to " + DRIVER);
            assertThat(system.find(l)).isPresent();
        }

        @Test
        void anyUseAfterDeleteIsABugCheckNamingTheAddress() {
            int l = npagedList();
            int e = lists.ExAllocateFromNPagedLookasideList(l);
            lists.ExDeleteNPagedLookasideList(l);
            String address = String.format("%08X", l);
            for (Runnable use : List.<Runnable>of(() -> lists.ExAllocateFromNPagedLookasideList(l),
                    () -> lists.ExFreeToNPagedLookasideList(l, e), () -> lists.ExFlushLookasideListEx(l),
                    () -> lists.query(l), () -> lists.tap(l))) {
                BugCheck b = bugCheck(use);
                assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
                assertThat(b.parameter1()).isEqualTo(Integer.toUnsignedLong(l));
                assertThat(b.getMessage()).contains(address).contains("deleted by " + DRIVER);
            }
            BugCheck again = bugCheck(() -> lists.ExDeleteNPagedLookasideList(l));
            assertThat(again.code()).isEqualTo(BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE);
            assertThat(again.getMessage()).contains(address);
        }

        @Test
        void useOfAnAddressThatNeverHeldAListIsABugCheck() {
            int l = npagedHeader();
            BugCheck b = bugCheck(() -> lists.ExAllocateFromNPagedLookasideList(l));
            assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
            assertThat(b.getMessage()).contains("never initialized");
        }

        @Test
        void aHeaderTooSmallForTheStructureIsAPageFault() {
            int small = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), HEADER_TAG);
            BugCheck b = bugCheck(() -> lists.ExInitializePagedLookasideList(small, null, null, 0, ENTRY_SIZE, TAG, 0));
            assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
            assertThat(system.find(small)).isEmpty();
        }
    }

    // ---- IRQL

    @Nested
    class IrqlRules {

        @Test
        void pagedInitializeAboveApcLevelIsIrqlNotLessOrEqual() {
            int l = pagedHeader();
            BugCheck b = catchThrowableOfType(BugCheck.class, () -> atIrql(Irql.DISPATCH_LEVEL,
                    () -> lists.ExInitializePagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0)));
            assertThat(b.code()).isEqualTo(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL);
            assertThat(b.parameter1()).isEqualTo(Integer.toUnsignedLong(l));
            assertThat(b.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL);
            assertThat(system.find(l)).isEmpty();
        }

        @Test
        void pagedInitializeAtApcLevelIsAllowed() {
            int l = pagedHeader();
            atIrql(Irql.APC_LEVEL, () -> lists.ExInitializePagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0));
            assertThat(system.find(l)).isPresent();
        }

        @Test
        void npagedRoutinesRunAtDispatchLevelButNotAbove() {
            int l = npagedHeader();
            atIrql(Irql.DISPATCH_LEVEL, () -> lists.ExInitializeNPagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0));
            BugCheck b = catchThrowableOfType(BugCheck.class,
                    () -> atIrql(Irql.DISPATCH_LEVEL + 1, () -> lists.ExDeleteNPagedLookasideList(l)));
            assertThat(b.code()).isEqualTo(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL);
            assertThat(b.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL + 1);
            atIrql(Irql.DISPATCH_LEVEL, () -> lists.ExDeleteNPagedLookasideList(l));
        }

        @Test
        void pagedDeleteAtDispatchLevelIsIrqlNotLessOrEqual() {
            int l = pagedList();
            BugCheck b = catchThrowableOfType(BugCheck.class,
                    () -> atIrql(Irql.DISPATCH_LEVEL, () -> lists.ExDeletePagedLookasideList(l)));
            assertThat(b.code()).isEqualTo(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL);
            assertThat(system.find(l)).as("nothing was deleted").isPresent();
        }

        @Test
        void exInitializeAboveDispatchLevelIsIrqlNotLessOrEqual() {
            int l = exHeader();
            BugCheck b = catchThrowableOfType(BugCheck.class, () -> atIrql(Irql.DISPATCH_LEVEL + 1,
                    () -> lists.ExInitializeLookasideListEx(l, null, null, NonPagedPool, 0, ENTRY_SIZE, TAG, 0)));
            assertThat(b.code()).isEqualTo(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL);
        }
    }

    // ---- §2.6: delete and flush

    @Nested
    class DeleteAndFlush {

        @Test
        void deleteReturnsEveryCachedEntryToTheFreeRoutine() {
            int l = npagedHeader();
            List<Integer> freed = new ArrayList<>();
            lists.ExInitializeNPagedLookasideList(l, null, buffer -> {
                freed.add(buffer);
                pool.ExFreePool(buffer);
            }, 0, ENTRY_SIZE, TAG, 0);
            int[] a = allocate(l, 3);
            free(l, a);
            assertThat(freed).isEmpty();
            lists.ExDeleteNPagedLookasideList(l);
            assertThat(freed).containsExactlyInAnyOrder(a[0], a[1], a[2]);
            assertThat(executive.outstanding(DRIVER)).extracting(b -> b.address()).containsExactly(l);
        }

        @Test
        void deleteUnregistersTheListBeforeFreeingItsEntries() {
            int l = npagedHeader();
            List<Boolean> registeredDuringFree = new ArrayList<>();
            lists.ExInitializeNPagedLookasideList(l, null, buffer -> {
                registeredDuringFree.add(system.find(l).isPresent() || executive.hasLookasideMark(l));
                pool.ExFreePool(buffer);
            }, 0, ENTRY_SIZE, TAG, 0);
            free(l, allocate(l, 2));
            lists.ExDeleteNPagedLookasideList(l);
            assertThat(registeredDuringFree).containsExactly(false, false);
        }

        @Test
        void deleteLeavesTheCountersAsTheyWere() {
            int l = npagedList();
            free(l, allocate(l, 3));
            lists.ExDeleteNPagedLookasideList(l);
            assertThat(u32(l, "TotalAllocates")).isEqualTo(3);
            assertThat(u32(l, "TotalFrees")).isEqualTo(3);
        }

        @Test
        void flushReturnsCachedEntriesAndKeepsTheListAndCounters() {
            int l = exHeader();
            List<Integer> freed = new ArrayList<>();
            lists.ExInitializeLookasideListEx(l, null, (buffer, lookaside) -> {
                freed.add(buffer);
                pool.ExFreePool(buffer);
            }, NonPagedPool, 0, ENTRY_SIZE, TAG, 0);
            int a = lists.ExAllocateFromLookasideListEx(l);
            int b = lists.ExAllocateFromLookasideListEx(l);
            lists.ExFreeToLookasideListEx(l, a);
            lists.ExFreeToLookasideListEx(l, b);
            lists.ExFlushLookasideListEx(l);
            assertThat(freed).containsExactly(b, a);
            assertThat(lists.query(l)).extracting(LookasideInfo::currentDepth, LookasideInfo::totalAllocates,
                    LookasideInfo::totalFrees, LookasideInfo::freeMisses).containsExactly(0, 2L, 2L, 0L);
            assertThat(system.find(l)).isPresent();
        }

        @Test
        void theHeadersBlockIsMarkedWhileTheListLives() {
            int l = npagedHeader();
            assertThat(executive.hasLookasideMark(l)).isFalse();
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0);
            assertThat(executive.hasLookasideMark(l)).isTrue();
            lists.ExDeleteNPagedLookasideList(l);
            assertThat(executive.hasLookasideMark(l)).isFalse();
            pool.ExFreePool(l);
        }

        @Test
        void twoListsInOneBlockKeepTheMarkUntilBothAreDeleted() {
            long size = NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize();
            int block = pool.ExAllocatePoolWithTag(NonPagedPool, 2 * size, HEADER_TAG);
            int second = block + (int) size;
            lists.ExInitializeNPagedLookasideList(block, null, null, 0, ENTRY_SIZE, TAG, 0);
            lists.ExInitializeNPagedLookasideList(second, null, null, 0, ENTRY_SIZE, TAG, 0);
            lists.ExDeleteNPagedLookasideList(block);
            assertThat(executive.hasLookasideMark(block)).isTrue();
            system.adjustLookasideDepth();
            assertThat(faults).isEmpty();
            lists.ExDeleteNPagedLookasideList(second);
            assertThat(executive.hasLookasideMark(block)).isFalse();
        }

        @Test
        void freeingAMarkedHeaderUnderTheVerifierIsC4Cc() {
            executive.setVerified(DRIVER, true);
            int l = npagedList();
            BugCheck b = bugCheck(() -> pool.ExFreePool(l));
            assertThat(b.parameter1()).isEqualTo(0xCC);
        }
    }

    // ---- the registry and the tuner

    @Nested
    class RegistryAndTuner {

        @Test
        void theRegistrySeesEveryLiveListInRegistrationOrder() {
            int a = npagedList();
            int b = pagedList();
            LookasideLists others = provider.forDriver(OTHER, executive.forDriver(OTHER));
            int c = executive.forDriver(OTHER).ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
            others.ExInitializeNPagedLookasideList(c, null, null, 0, 64, TAG, 0);
            assertThat(system.lists()).extracting(LookasideInfo::address).containsExactly(a, b, c);
            assertThat(system.ownedBy(DRIVER)).extracting(LookasideInfo::address).containsExactly(a, b);
            assertThat(system.find(c)).get().extracting(LookasideInfo::owner, LookasideInfo::size).containsExactly(OTHER, 64);
            assertThat(provider.lists()).extracting(LookasideInfo::address).containsExactly(a, b, c);
            assertThat(system.lists()).allSatisfy(i -> assertThat(i.implementation()).isEqualTo(lists.implementation()));
            lists.ExDeletePagedLookasideList(b);
            assertThat(system.lists()).extracting(LookasideInfo::address).containsExactly(a, c);
        }

        @Test
        void purgeUnregistersAnOwnersListsWithoutFreeingAnything() {
            int a = npagedList();
            free(a, allocate(a, 2));
            int blocks = executive.outstanding(DRIVER).size();
            List<LookasideInfo> purged = system.purge(DRIVER);
            assertThat(purged).extracting(LookasideInfo::address, LookasideInfo::currentDepth).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(a, 2));
            assertThat(system.ownedBy(DRIVER)).isEmpty();
            assertThat(executive.outstanding(DRIVER)).hasSize(blocks);
            assertThat(executive.hasLookasideMark(a)).isFalse();
            assertThat(bugCheck(() -> lists.ExAllocateFromNPagedLookasideList(a)).getMessage()).contains("purged");
        }

        @Test
        void theTunerGrowsABusyListAndTheDepthThenCapsTheCache() {
            int l = npagedList();
            int[] a = allocate(l, 100);                // 100 allocations, 100 misses: ratio 1000
            system.adjustLookasideDepth();             // phase 0: non-paged lists
            assertThat(u16(l, "Depth")).isEqualTo(34); // 4 + min(1000*252/2000+5, 30)
            free(l, a);
            assertThat(lists.query(l)).extracting(LookasideInfo::currentDepth, LookasideInfo::freeMisses)
                    .containsExactly(34, 66L);
        }

        @Test
        void aForgottenDeleteIsReportedAs0xCEAtTheNextScanOfItsList() {
            int l = pagedList();                       // tuned in phase 1
            free(l, allocate(l, 2));
            pool.ExFreePool(l);                        // the header's memory goes without ExDeletePagedLookasideList
            system.adjustLookasideDepth();             // phase 0: the non-paged lists
            assertThat(faults).isEmpty();
            system.adjustLookasideDepth();             // phase 1: finds it
            assertThat(faults).hasSize(1);
            BugCheck b = faults.getFirst().getValue();
            assertThat(faults.getFirst().getKey()).isEqualTo(DRIVER);
            assertThat(b.code()).isEqualTo(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);
            assertThat(List.of(b.parameter1(), b.parameter2(), b.parameter4()))
                    .containsExactly(Integer.toUnsignedLong(l), 0L, 0L);
            assertThat(b.getMessage()).contains(String.format("%08X", l)).contains("ExDeletePagedLookasideList");
            assertThat(system.find(l)).isEmpty();
            for (int i = 0; i < 3; i++) {
                system.adjustLookasideDepth();
            }
            assertThat(faults).as("reported once").hasSize(1);
            BugCheck use = bugCheck(() -> lists.ExAllocateFromPagedLookasideList(l));
            assertThat(use.getMessage()).contains("0xCE");
        }

        @Test
        void reusingAForgottenHeadersMemoryReportsTheOldListAtInitialization() {
            int l = npagedList();
            pool.ExFreePool(l);
            int again = npagedHeader();
            assertThat(again).as("the test pool reuses the block").isEqualTo(l);
            lists.ExInitializeNPagedLookasideList(again, null, null, 0, ENTRY_SIZE, TAG, 0);
            assertThat(faults).singleElement().satisfies(f ->
                    assertThat(f.getValue().code()).isEqualTo(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS));
            assertThat(system.find(again)).isPresent();
            system.adjustLookasideDepth();
            assertThat(faults).hasSize(1);
        }

        @Test
        void renderShowsTheLiveList() {
            int l = pagedList();
            free(l, allocate(l, 3));
            assertThat(system.render(l)).isEqualTo(String.format("""
                    Lookaside "" @ %08x "Wasm"
                        Type           =       0001  PagedPool
                        Current Depth  =          3  Max Depth  =          4
                        Size           =         40  Max Alloc  =        160
                        AllocateMisses =          3  FreeMisses =          0
                        TotalAllocates =          3  TotalFrees =          3
                        Hit Rate       =          0%% Hit Rate   =        100%%""", l));
            assertThatThrownBy(() -> system.render(l + 0x1000)).hasMessageContaining("no live lookaside list");
        }
    }

    // ---- the debugger: !lookaside ADDRESS 1 (reset the counters), !lookaside ADDRESS 2 DEPTH (set the depth)

    @Nested
    class DebuggerResetAndDepth {

        @Test
        void resetCountersZeroesEveryCounterAndTheTunersSnapshotsAndTheDumpShowsZeros() {
            int l = npagedList();
            free(l, allocate(l, 100));                // 100 misses; 4 cached, 96 free misses
            system.adjustLookasideDepth();             // phase 0: the tuner snapshots LastTotalAllocates / LastAllocateMisses
            assertThat(u32(l, "LastTotalAllocates")).isEqualTo(100);
            int depth = u16(l, "Depth");
            LookasideInfo info = system.resetCounters(l);
            assertThat(info).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                    LookasideInfo::totalFrees, LookasideInfo::freeMisses).containsExactly(0L, 0L, 0L, 0L);
            assertThat(info).extracting(LookasideInfo::currentDepth, LookasideInfo::depth).as("the cache is untouched")
                    .containsExactly(4, depth);
            for (String field : List.of("TotalAllocates", "AllocateMisses", "TotalFrees", "FreeMisses",
                    "LastTotalAllocates", "LastAllocateMisses")) {
                assertThat(u32(l, field)).as(field).isZero();
            }
            assertThat(system.render(l)).endsWith("\n"
                    + "    AllocateMisses =          0  FreeMisses =          0\n"
                    + "    TotalAllocates =          0  TotalFrees =          0\n"
                    + "    Hit Rate       =          0% Hit Rate   =          0%");
        }

        @Test
        void countingResumesFromZeroAfterTheReset() {
            int l = npagedList();
            free(l, allocate(l, 6));                   // 4 cached
            system.resetCounters(l);
            free(l, allocate(l, 5));                   // 4 hits and a miss; 4 cached again, the fifth overflows
            assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses,
                    LookasideInfo::totalFrees, LookasideInfo::freeMisses, LookasideInfo::currentDepth)
                    .containsExactly(5L, 1L, 5L, 1L, 4);
            assertThat(u32(l, "TotalAllocates")).isEqualTo(5);
        }

        @Test
        void theTunersNextScanAfterAResetSeesOnlyTheAllocationsSinceTheReset() {
            int l = npagedList();
            free(l, allocate(l, 100));
            system.adjustLookasideDepth();             // phase 0: 100 misses in 100: Depth 4 -> 34
            assertThat(u16(l, "Depth")).isEqualTo(34);
            system.resetCounters(l);
            for (int tick = 0; tick < 3; tick++) {
                system.adjustLookasideDepth();         // phases 1, 2, then 0 again: nothing allocated since the reset
            }
            // idle (0 allocations < 75): Depth - 10. Stale snapshots would have made the delta 0 - 100, a busy list
            assertThat(u16(l, "Depth")).isEqualTo(24);
        }

        @Test
        void setDepthChangesTheCapSoAFreeBeyondItGoesToThePoolAsAFreeMiss() {
            int l = npagedList();
            LookasideInfo info = system.setDepth(l, 6);
            assertThat(info.depth()).isEqualTo(6);
            assertThat(u16(l, "Depth")).isEqualTo(6);
            int[] a = allocate(l, 8);
            int freesBefore = executive.frees(DRIVER);
            free(l, a);                                // six cached (was four at Depth 4), two overflow
            assertThat(lists.query(l)).extracting(LookasideInfo::currentDepth, LookasideInfo::freeMisses)
                    .containsExactly(6, 2L);
            assertThat(executive.frees(DRIVER) - freesBefore).isEqualTo(2);
            assertThat(system.render(l)).contains("Current Depth  =          6  Max Depth  =          6",
                    "Size           =         40  Max Alloc  =        240");

            system.setDepth(l, 2);                     // below what is cached: nothing is freed now
            assertThat(lists.query(l)).extracting(LookasideInfo::currentDepth, LookasideInfo::depth)
                    .containsExactly(6, 2);
            int e = lists.ExAllocateFromNPagedLookasideList(l);  // a hit: 5 left cached
            freesBefore = executive.frees(DRIVER);
            lists.ExFreeToNPagedLookasideList(l, e);   // 5 >= Depth 2: to the pool
            assertThat(lists.query(l)).extracting(LookasideInfo::currentDepth, LookasideInfo::freeMisses)
                    .containsExactly(5, 3L);
            assertThat(executive.frees(DRIVER) - freesBefore).isEqualTo(1);
            assertThat(executive.block(e)).isNull();
        }

        @Test
        void setDepthZeroCachesNothing() {
            int l = npagedList();
            system.setDepth(l, 0);
            free(l, allocate(l, 3));
            assertThat(lists.query(l)).extracting(LookasideInfo::currentDepth, LookasideInfo::freeMisses)
                    .containsExactly(0, 3L);
        }

        @Test
        void setDepthIsNotAPinTheTunerRetunesFromTheNewValue() {
            int l = npagedList();
            system.setDepth(l, 100);
            system.adjustLookasideDepth();             // phase 0, idle: 100 - 10
            assertThat(u16(l, "Depth")).isEqualTo(90);
        }

        @Test
        void setDepthRefusesADepthOutsideZeroToMaximumDepthNamingItAndChangesNothing() {
            int l = npagedList();
            assertThat(system.setDepth(l, 256).depth()).as("MaximumDepth itself is allowed").isEqualTo(256);
            system.setDepth(l, 4);
            assertThatThrownBy(() -> system.setDepth(l, 257)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(String.format("depth=257 is outside 0..MaximumDepth=256 of the lookaside list at %08X", l));
            assertThatThrownBy(() -> system.setDepth(l, -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(String.format("depth=-1 is outside 0..MaximumDepth=256 of the lookaside list at %08X", l));
            assertThat(u16(l, "Depth")).isEqualTo(4);
        }

        @Test
        void anAddressWithNoLiveListIsRefusedAsRenderRefusesIt() {
            int l = npagedList();
            int never = l + 0x1000;
            String renderSays = catchThrowableOfType(NoSuchElementException.class,
                    () -> system.render(never)).getMessage();
            assertThat(renderSays).isEqualTo(String.format("no live lookaside list at %08X (never initialized)", never));
            assertThatThrownBy(() -> system.resetCounters(never)).isInstanceOf(NoSuchElementException.class)
                    .hasMessage(renderSays);
            assertThatThrownBy(() -> system.setDepth(never, 8)).isInstanceOf(NoSuchElementException.class)
                    .hasMessage(renderSays);
            lists.ExDeleteNPagedLookasideList(l);
            assertThatThrownBy(() -> system.resetCounters(l)).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("deleted by " + DRIVER);
            assertThatThrownBy(() -> system.setDepth(l, 999)).as("no list: the address is checked before the depth")
                    .isInstanceOf(NoSuchElementException.class);
        }

        @Test
        void aListWhoseHeaderWasFreedWithoutADeleteIsNotWritten() {
            int l = npagedList();
            pool.ExFreePool(l);                        // a forgotten delete the tuner has not found yet
            assertThatThrownBy(() -> system.resetCounters(l)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("its header's memory was freed without ExDeleteNPagedLookasideList");
            assertThatThrownBy(() -> system.setDepth(l, 8)).isInstanceOf(IllegalStateException.class);
        }
    }
}
