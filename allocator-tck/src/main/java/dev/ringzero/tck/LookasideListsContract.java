package dev.ringzero.tck;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Irql;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;
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
public abstract class LookasideListsContract extends LookasideRoutinesContract {

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
