package dev.ringzero.magazine;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.tck.TestExecutivePool;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The list's memo of the last magazine it served (the NT-style routines' hit path): it never serves a
 * list that is gone, a list made again at the same header, or another thread.
 */
class MagazineMemoTest {

    static final Owner DRIVER = new Owner("MemoDriver", 1);
    static final int TAG = PoolTag.of("omeM");

    TestExecutivePool executive;
    TestSystem system;
    PoolAllocator pool;
    LookasideLists lists;

    @BeforeEach
    void setUp() {
        executive = new TestExecutivePool();
        system = new TestSystem(executive);
        pool = executive.forDriver(DRIVER);
        lists = system.provider("magazine").forDriver(DRIVER, pool);
    }

    @AfterEach
    void tearDown() {
        system.close();
        executive.close();
    }

    private int newList(int header) {
        lists.ExInitializeNPagedLookasideList(header, null, null, 0, 64, TAG, 0);
        return header;
    }

    private void pair(int list) {
        lists.ExFreeToNPagedLookasideList(list, lists.ExAllocateFromNPagedLookasideList(list));
    }

    @Test
    void aListMadeAgainAtTheSameHeaderShouldBeServedNotItsDeletedPredecessor() {
        int header = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        newList(header);
        pair(header);
        pair(header);                                   // the second pair hits the memo
        lists.ExDeleteNPagedLookasideList(header);

        newList(header);
        pair(header);
        assertThat(lists.query(header).totalAllocates()).as("the new list's own count").isEqualTo(1);
        assertThat(lists.query(header).totalFrees()).isEqualTo(1);
    }

    @Test
    void aCallAfterTheDeleteShouldBe0x50EvenWhenTheMemoHeldTheList() {
        int header = newList(pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG));
        pair(header);
        pair(header);
        lists.ExDeleteNPagedLookasideList(header);

        BugCheck b = catchThrowableOfType(BugCheck.class, () -> lists.ExAllocateFromNPagedLookasideList(header));
        assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
        assertThat(b.getMessage()).contains("ExAllocateFromNPagedLookasideList").contains("deleted");
    }

    @Test
    void anotherThreadOnTheSameViewShouldUseItsOwnMagazine() throws Exception {
        int header = newList(pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG));
        int mine = lists.ExAllocateFromNPagedLookasideList(header);
        lists.ExFreeToNPagedLookasideList(header, mine);  // in this thread's magazine, which the view remembers

        AtomicReference<Object> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                int e = lists.ExAllocateFromNPagedLookasideList(header);
                lists.ExFreeToNPagedLookasideList(header, e);
                other.set(e);
            } catch (RuntimeException | Error e) {
                other.set(e);
            }
        });
        t.start();
        t.join();
        assertThat(other.get()).as("the other thread's entry").isInstanceOf(Integer.class)
                .as("not the entry cached in this thread's magazine").isNotEqualTo(mine);
        assertThat(lists.ExAllocateFromNPagedLookasideList(header)).as("this thread's magazine still holds its entry")
                .isEqualTo(mine);
    }
}
