package dev.ringzero.lookaside;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.tck.TestExecutivePool;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-driver view's own rules, whatever list serves it (issue 26, found by mutation testing): a misaligned
 * header refused before anything is registered, the flush's IRQL, the view's single-entry memo never serving one
 * list for another, and the owner it answers for.
 */
class LookasideViewTest {

    static final Owner DRIVER = new Owner("ViewDriver", 1);
    static final int TAG = PoolTag.of("weiV");

    TestExecutivePool executive;
    LookasideSystem system;
    PoolAllocator pool;
    LookasideLists lists;

    @BeforeEach
    void setUp() {
        executive = new TestExecutivePool();
        system = new LookasideSystem(executive, new ManualTicker());
        pool = executive.forDriver(DRIVER);
        lists = system.provider("nt").forDriver(DRIVER, pool);
    }

    @AfterEach
    void tearDown() {
        Irql.resetToPassive();
        system.close();
        executive.close();
    }

    private int header(long size) {
        return pool.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
    }

    @Test
    void shouldRefuseAHeaderThatIsNotEightByteAlignedWithDatatypeMisalignmentAndRegisterNothing() {
        int block = header(NtLayouts.LOOKASIDE_LIST_EX.byteSize() + 16);
        for (int misaligned : new int[] {block + 4, block + 1}) {
            NtStatusException e = catchThrowableOfType(NtStatusException.class,
                    () -> lists.ExInitializeNPagedLookasideList(misaligned, null, null, 0, 64, TAG, 0));
            assertThat(e.status()).isEqualTo(NtStatus.STATUS_DATATYPE_MISALIGNMENT);
            assertThat(e.getMessage()).contains("ExInitializeNPagedLookasideList").contains(String.format("%08X", misaligned));
        }
        NtStatusException ex = catchThrowableOfType(NtStatusException.class,
                () -> lists.ExInitializeLookasideListEx(block + 4, null, null, NonPagedPool, 0, 64, TAG, 0));
        assertThat(ex.status()).isEqualTo(NtStatus.STATUS_DATATYPE_MISALIGNMENT);
        assertThat(system.lists()).isEmpty();
        lists.ExInitializeNPagedLookasideList(block + 8, null, null, 0, 64, TAG, 0);
        assertThat(system.lists()).extracting(LookasideInfo::address).containsExactly(block + 8);
    }

    @Test
    void shouldFlushAtDispatchLevelAndRefuseAboveItWithIrqlNotLessOrEqual() {
        int l = header(NtLayouts.LOOKASIDE_LIST_EX.byteSize());
        lists.ExInitializeLookasideListEx(l, null, null, NonPagedPool, 0, 64, TAG, 0);
        lists.ExFreeToLookasideListEx(l, lists.ExAllocateFromLookasideListEx(l));
        int old = Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        try {
            lists.ExFlushLookasideListEx(l);
        } finally {
            Irql.KeLowerIrql(old);
        }
        assertThat(lists.query(l).currentDepth()).isZero();
        old = Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL + 1);
        BugCheck b;
        try {
            b = catchThrowableOfType(BugCheck.class, () -> lists.ExFlushLookasideListEx(l));
        } finally {
            Irql.KeLowerIrql(old);
        }
        assertThat(b.code()).isEqualTo(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL);
        assertThat(List.of(b.parameter1(), b.parameter2(), b.parameter3(), b.parameter4()))
                .containsExactly(Integer.toUnsignedLong(l), (long) Irql.DISPATCH_LEVEL + 1, 0L, 0L);
        assertThat(b.getMessage()).contains("ExFlushLookasideListEx");
    }

    /**
     * The view remembers the last list it served; a call for another list is served by that list, whichever the memo
     * holds. (The magazine's own memo of the calling thread's magazine is tested with it, in allocator-magazine.)
     */
    @Test
    void shouldServeEachOfTwoListsUsedInTurnFromItsOwnList() {
        LookasideLists view = system.provider("nt").forDriver(DRIVER, pool);
        int a = header(NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize());
        int b = header(NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize());
        view.ExInitializeNPagedLookasideList(a, null, null, 0, 64, TAG, 0);
        view.ExInitializeNPagedLookasideList(b, null, null, 0, 128, TAG, 0);
        for (int i = 0; i < 3; i++) {
            int fromA = view.ExAllocateFromNPagedLookasideList(a);
            int fromB = view.ExAllocateFromNPagedLookasideList(b); // the memo now holds b
            view.ExFreeToNPagedLookasideList(a, fromA);              // a call for a while b is remembered
            view.ExFreeToNPagedLookasideList(b, fromB);
            view.ExFreeToNPagedLookasideList(b, view.ExAllocateFromNPagedLookasideList(b));
        }
        assertThat(view.query(a)).extracting(LookasideInfo::totalAllocates, LookasideInfo::totalFrees)
                .containsExactly(3L, 3L);
        assertThat(view.query(b)).extracting(LookasideInfo::totalAllocates, LookasideInfo::totalFrees)
                .containsExactly(6L, 6L);
        view.ExDeleteNPagedLookasideList(a);
        view.ExDeleteNPagedLookasideList(b);
        assertThat(executive.outstanding(DRIVER)).as("every entry back in the pool, the two headers left")
                .extracting(i -> i.address()).containsExactlyInAnyOrder(a, b);
        assertThat(view.owner()).isEqualTo(DRIVER);
    }

    @Test
    void shouldCheckTheIrqlOfAnExInitializeBeforeItsParameters() {
        int l = header(NtLayouts.LOOKASIDE_LIST_EX.byteSize());
        int old = Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL + 1);
        BugCheck b;
        try {
            b = catchThrowableOfType(BugCheck.class,
                    () -> lists.ExInitializeLookasideListEx(l, null, null, NonPagedPool, 0, 64, TAG, 7));
        } finally {
            Irql.KeLowerIrql(old);
        }
        assertThat(b).as("IRQL_NOT_LESS_OR_EQUAL, not STATUS_INVALID_PARAMETER_8").isNotNull();
        assertThat(b.code()).isEqualTo(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL);
        assertThat(b.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL + 1);
    }

    @Test
    void shouldAcceptAVerifiedOwnersEntrySizeOfExactlyTheMinimum() {
        executive.setVerified(DRIVER, true);
        int l = header(NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize());
        lists.ExInitializeNPagedLookasideList(l, null, null, 0, NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE, TAG, 0);
        assertThat(lists.query(l).size()).isEqualTo((int) NtLayouts.LOOKASIDE_MINIMUM_BLOCK_SIZE);
    }

    @Test
    void shouldInitializeTheListHeadOfAHeaderWhoseMemoryHeldOtherData() {
        int l = header(NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize());
        executive.memory().resolve(l).fill((byte) 0xA5);
        lists.ExInitializeNPagedLookasideList(l, null, null, 0, 64, TAG, 0);
        int e = lists.ExAllocateFromNPagedLookasideList(l);
        assertThat(lists.query(l)).extracting(LookasideInfo::totalAllocates, LookasideInfo::allocateMisses)
                .containsExactly(1L, 1L);
        assertThat(executive.outstanding(DRIVER)).extracting(i -> i.address()).containsExactlyInAnyOrder(l, e);
    }

    @Test
    void shouldFreeAnExListsEntriesToTheOwnersPoolWithoutAFreeRoutine() {
        int l = header(NtLayouts.LOOKASIDE_LIST_EX.byteSize());
        lists.ExInitializeLookasideListEx(l, null, null, NonPagedPool, 0, 64, TAG, 0);
        lists.ExFreeToLookasideListEx(l, lists.ExAllocateFromLookasideListEx(l));
        lists.ExDeleteLookasideListEx(l);
        assertThat(executive.outstanding(DRIVER)).extracting(i -> i.address()).containsExactly(l);
    }
}
