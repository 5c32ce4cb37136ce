package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.memory.PoolBlockInfo;
import dev.ringzero.api.memory.PoolTag;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pool's owners (issue 26, found by mutation testing): every owner its own index however many there are, a
 * setting made while an owner's calls run on the fast paths applied to its next call, and the leak report in
 * address order.
 */
class PoolOwnersTest extends PoolFixture {

    private static final int TAG = PoolTag.of("nwOP");

    /** The owner's tag checked and its magazines filled: its next calls take the fast paths. */
    private void warmUp() {
        for (int i = 0; i < 8; i++) {
            ex.ExFreePoolWithTag(ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG), TAG);
        }
    }

    @Test
    void shouldKeepEveryOwnersBlocksApartBeyondTheFirstTableOfOwners() {
        List<Owner> owners = new ArrayList<>();
        List<Integer> blocks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Owner o = newOwner("Driver" + i);
            owners.add(o);
            blocks.add(pool.forDriver(o).ExAllocatePoolWithTag(NonPagedPool, 64 + i, TAG));
        }
        for (int i = 0; i < owners.size(); i++) {
            List<PoolBlockInfo> out = pool.outstanding(owners.get(i));
            assertThat(out).as("owner %d", i).hasSize(1);
            assertThat(out.getFirst().address()).isEqualTo(blocks.get(i));
            assertThat(out.getFirst().owner()).isEqualTo(owners.get(i));
        }
        int last = blocks.getLast();
        assertBugCheck(bugCheck(() -> pool.forDriver(owners.getFirst()).ExFreePoolWithTag(last, TAG)), 0xC2, 0x0D,
                u(last), u(TAG), owners.getLast().instance());
        for (int i = 0; i < owners.size(); i++) {
            pool.forDriver(owners.get(i)).ExFreePoolWithTag(blocks.get(i), TAG);
        }
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldNameAnOwnerIndexOutsideTheTableByANumber() {
        OwnerTable owners = pool.engine().owners;
        assertThat(owners.ownerAt(16)).isEqualTo(new Owner("<owner 16>", 16));
        assertThat(owners.ownerAt(0)).isEqualTo(new Owner("<owner 0>", 0));
        assertThat(owners.ownerAt(1)).isEqualTo(driver);
    }

    @Test
    void shouldServeATagFromSpecialPoolFromTheNextCallOnEvenForAnOwnerOnTheFastPath() {
        warmUp();
        pool.setSpecialPoolTag(PoolTag.toString(TAG), true);
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        MemorySegment s = memory.resolve(a);
        IndexOutOfBoundsException overrun = catchOutOfBounds(() -> s.get(ValueLayout.JAVA_BYTE, 64));
        assertThat(pool.translateFault(overrun).code()).isEqualTo(BugCheckCode.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION);
        ex.ExFreePoolWithTag(a, TAG);
    }

    @Test
    void shouldKeepAnOwnerRevokedAndThePoolClosedThroughAnyLaterSetting() {
        warmUp();
        Owner other = newOwner("Other");
        PoolAllocator o = pool.forDriver(other);
        o.ExFreePoolWithTag(o.ExAllocatePoolWithTag(NonPagedPool, 64, TAG), TAG);
        pool.revoke(other);
        pool.setVerified(other, false);
        pool.setSpecialPool(other, false);
        assertThat(bugCheckOf(() -> o.ExAllocatePoolWithTag(NonPagedPool, 64, TAG)))
                .isEqualTo(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);

        pool.close();
        pool.setVerified(driver, false);
        pool.setSpecialPool(driver, false);
        assertThatThrownBy(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the pool is closed");
    }

    private static BugCheckCode bugCheckOf(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return bugCheck(call).code();
    }

    @Test
    void shouldListAnOwnersBlocksInAddressOrderWhateverChunkHoldsThem() {
        int huge = ex.ExAllocatePoolWithTag(NonPagedPool, 300_000, TAG); // the first chunk slot of its pool
        int small = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);     // a pool chunk after it
        int paged = ex.ExAllocatePoolWithTag(PagedPool, 64, TAG);
        assertThat(Integer.compareUnsigned(huge, small)).isNegative();
        assertThat(pool.outstanding(driver)).extracting(PoolBlockInfo::address).containsExactly(huge, small, paged);
    }
}
