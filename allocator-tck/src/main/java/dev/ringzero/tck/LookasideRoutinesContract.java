package dev.ringzero.tck;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract's first half: NT's initialization (Wine's assertions, {@code ExInitializeLookasideListEx}), allocate and
 * free, and the Driver Verifier's depth 0. The suite to subclass is {@link LookasideListsContract}.
 */
public abstract class LookasideRoutinesContract extends LookasideContractFixture {

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

}
