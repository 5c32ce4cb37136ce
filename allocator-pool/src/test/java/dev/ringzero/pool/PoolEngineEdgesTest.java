package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.NonPagedPoolNx;
import static dev.ringzero.api.memory.PoolType.POOL_ZERO_ALLOCATION;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Irql;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolPriority;
import dev.ringzero.api.memory.PoolTag;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pool engine's edges that its other tests leave open (issue 26, found by mutation testing): the fast paths'
 * IRQL tests at levels whose difference to the limit is even, the page-class fast free's every refusal, the
 * checked paths' boundaries (zero bytes after a checked tag, a request of exactly the limit, special pool for a
 * block that just fits a chunk), the free of blocks with pages of their own, and the close.
 */
class PoolEngineEdgesTest extends PoolFixture {

    private static final int C2 = 0xC2;
    private static final int TAG = PoolTag.of("egdE");
    private static final int OTHER_TAG = PoolTag.of("rhtO");
    /** An IRQL above DISPATCH_LEVEL that differs from it (and from APC_LEVEL + 2) by an even number. */
    private static final int DEVICE_IRQL = 4;

    /** The owner's tag checked and its magazines of 64-byte blocks filled: the state the fast paths run in. */
    private void warmUp() {
        for (int i = 0; i < 8; i++) {
            ex.ExFreePoolWithTag(ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG), TAG);
            ex.ExFreePoolWithTag(ex.ExAllocatePoolWithTag(PagedPool, 64, TAG), TAG);
        }
    }

    private static BugCheck atIrql(int irql, Runnable call) {
        int old = Irql.KeRaiseIrql(irql);
        try {
            return bugCheck(call::run);
        } finally {
            Irql.KeLowerIrql(old);
        }
    }

    // ---- the fast allocate and free at an IRQL above their pool's

    @Test
    void shouldBugCheck8ForAFastAllocateAboveItsPoolsIrqlWhateverTheDistance() {
        warmUp();
        assertBugCheck(atIrql(DEVICE_IRQL, () -> ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG)), C2, 0x08,
                DEVICE_IRQL, NonPagedPool, 64);
        assertBugCheck(atIrql(3, () -> ex.ExAllocatePoolWithTag(PagedPool, 64, TAG)), C2, 0x08, 3, PagedPool, 64);
    }

    @Test
    void shouldBugCheck9ForAFastFreeAboveItsPoolsIrqlWhateverTheDistance() {
        warmUp();
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        assertBugCheck(atIrql(DEVICE_IRQL, () -> ex.ExFreePoolWithTag(a, TAG)), C2, 0x09, DEVICE_IRQL, NonPagedPool,
                u(a));
        ex.ExFreePoolWithTag(a, TAG);
        assertThat(pool.bytesInUse()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {8_192, 65_536})
    void shouldBugCheck9ForAPageBlockFreedWithItsExactTagAboveItsPoolsIrql(long size) {
        int n = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
        int p = ex.ExAllocatePoolWithTag(PagedPool, size, TAG);
        assertBugCheck(atIrql(DEVICE_IRQL, () -> ex.ExFreePoolWithTag(n, TAG)), C2, 0x09, DEVICE_IRQL, NonPagedPool,
                u(n));
        assertBugCheck(atIrql(Irql.DISPATCH_LEVEL, () -> ex.ExFreePoolWithTag(p, TAG)), C2, 0x09, Irql.DISPATCH_LEVEL,
                PagedPool, u(p));
        ex.ExFreePoolWithTag(n, TAG);
        ex.ExFreePoolWithTag(p, TAG);
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldNameTheLiveBlocksTypeOrTheFreedBlocksPoolInAFreeAboveItsIrql() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPoolNx, 64, TAG);
        assertBugCheck(atIrql(Irql.HIGH_LEVEL, () -> ex.ExFreePoolWithTag(a, TAG)), C2, 0x09, Irql.HIGH_LEVEL,
                NonPagedPoolNx, u(a));
        ex.ExFreePoolWithTag(a, TAG);
        int p = ex.ExAllocatePoolWithTag(PagedPool | POOL_ZERO_ALLOCATION, 100, TAG);
        ex.ExFreePoolWithTag(p, TAG);
        assertBugCheck(atIrql(Irql.HIGH_LEVEL, () -> ex.ExFreePoolWithTag(p, TAG)), C2, 0x09, Irql.HIGH_LEVEL,
                1, u(p)); // a freed block has no type: its pool's index
    }

    // ---- the page-class fast free refuses everything but the usual case

    @Test
    void shouldRefuseInThePageClassFastFreeEveryBlockButALiveOneOfThisOwnerAndTag() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 8_192, TAG);
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, OTHER_TAG)), C2, 0x0A, u(a), u(TAG), u(OTHER_TAG));
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a + 16, TAG)), C2, 0x46, u(a + 16), 0, 0);
        PoolAllocator other = pool.forDriver(newOwner("Other"));
        assertBugCheck(bugCheck(() -> other.ExFreePoolWithTag(a, TAG)), C2, 0x0D, u(a), u(TAG), driver.instance());
        pool.revoke(driver);
        BugCheck revoked = bugCheck(() -> ex.ExFreePoolWithTag(a, TAG));
        assertThat(revoked.code()).isEqualTo(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);
        assertThat(pool.outstanding(driver)).singleElement().satisfies(b -> assertThat(b.address()).isEqualTo(a));
    }

    @Test
    void shouldRefuseAFreeAfterTheCloseEvenOfAPageBlockWithItsExactTag() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 8_192, TAG);
        assertThat(pool.toString()).doesNotContain("closed");
        pool.close();
        assertThat(pool.toString()).endsWith(", closed]");
        assertThatThrownBy(() -> ex.ExFreePoolWithTag(a, TAG)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the pool is closed");
        assertThatThrownBy(() -> pool.reclaim(driver)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the pool is closed");
    }

    @Test
    void shouldFreeABigBlockAboveThePageClassesToThePagesAndCatchItsDoubleFree() {
        int huge = ex.ExAllocatePoolWithTag(NonPagedPool, 300_000, TAG); // the pool chunk below: not the first slot
        long size = (SizeClasses.PAGE_CLASSES + 2) * 4096L;
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
        long committed = pool.committedBytes(NonPagedPool);
        ex.ExFreePoolWithTag(a, TAG);
        assertThat(pool.committedBytes(NonPagedPool)).as("its pages went back").isEqualTo(committed - size);
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, TAG)), C2, 0x07, 0, size, u(a));
        assertBugCheck(bugCheck(() -> ex.ExFreePool(a)), C2, 0x07, 0, size, u(a));
        assertBugCheck(bugCheck(() -> ex.ExFreePool(a + 4096)), C2, 0x46, u(a + 4096), 0, 0);
        ex.ExFreePoolWithTag(huge, TAG);
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldKeepAFreedPageClassBlockCommittedInItsMagazineAndGiveBackABiggerOnesPages() {
        int largest = SizeClasses.PAGE_CLASSES * 4096;
        int a = ex.ExAllocatePoolWithTag(PagedPool, largest, TAG);
        long committed = pool.committedBytes(PagedPool);
        ex.ExFreePool(a); // tag 0: the checked free
        assertThat(pool.committedBytes(PagedPool)).as("cached for the next request").isEqualTo(committed);
        assertThat(ex.ExAllocatePoolWithTag(PagedPool, largest, TAG)).isEqualTo(a);
        int b = ex.ExAllocatePoolWithTag(PagedPool, largest + 4096, TAG);
        ex.ExFreePool(b);
        assertThat(pool.committedBytes(PagedPool)).isEqualTo(committed);
    }

    // ---- the checked allocate's boundaries

    @Test
    void shouldBugCheckAZeroByteRequestWithAnAlreadyCheckedTag() {
        warmUp();
        ex.ExFreePoolWithTag(ex.ExAllocatePoolWithTag(NonPagedPool, 1, TAG), TAG); // the smallest class's magazine too
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 0, TAG)), C2, 0x00, 0, NonPagedPool,
                u(TAG));
    }

    @Test
    void shouldBugCheckAZeroTagAfterAnotherTagWasChecked() {
        warmUp();
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 64, 0)), C2, 0x9B, NonPagedPool, 64, 0);
    }

    @Test
    void shouldZeroAReusedHugePagedBlockAskedZeroed() {
        long size = 300_000;
        int a = ex.ExAllocatePoolWithTag(PagedPool, size, TAG);
        memory.resolve(a).fill((byte) 0x5A);
        ex.ExFreePoolWithTag(a, TAG);
        int b = ex.ExAllocatePoolWithTag(PagedPool | POOL_ZERO_ALLOCATION, size, TAG);
        MemorySegment s = memory.resolve(b);
        assertThat(s.byteSize()).isEqualTo(size);
        assertThat(s.mismatch(MemorySegment.ofArray(new byte[(int) size]))).as("first non-zero byte").isEqualTo(-1);
        int c = ex.ExAllocatePoolWithTag(NonPagedPool | POOL_ZERO_ALLOCATION, size, TAG);
        assertThat(memory.resolve(c).mismatch(MemorySegment.ofArray(new byte[(int) size]))).isEqualTo(-1);
    }

    // ---- special pool at its edges

    private void assertSpecial(int a, long size, boolean special) {
        MemorySegment s = memory.resolve(a);
        assertThat(s.byteSize()).isEqualTo(size);
        IndexOutOfBoundsException overrun = catchOutOfBounds(() -> s.get(ValueLayout.JAVA_BYTE, size));
        assertThat(pool.translateFault(overrun).code()).as("an overrun of %08X", a).isEqualTo(special
                ? BugCheckCode.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION : BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA);
    }

    @Test
    void shouldPutInSpecialPoolABlockThatLeavesExactlyItsGuardPageInAChunk() {
        pool.setSpecialPool(driver, true);
        long chunk = 1 << 20;
        int fits = ex.ExAllocatePoolWithTag(NonPagedPool, chunk - 4096, TAG);
        assertSpecial(fits, chunk - 4096, true);
        int tooBig = ex.ExAllocatePoolWithTag(NonPagedPool, chunk - 4095, TAG);
        assertThat(tooBig).as("not in special pool: a huge block").isNotZero();
        assertSpecial(tooBig, chunk - 4095, false);
        ex.ExFreePoolWithTag(fits, TAG);
        ex.ExFreePoolWithTag(tooBig, TAG);
    }

    @Test
    void shouldTestTheIrqlOfASpecialPoolPriorityRequestAsAnyOther() {
        int special = PoolPriority.NormalPoolPrioritySpecialPoolOverrun;
        int old = Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        int a;
        try {
            a = ex.ExAllocatePoolWithTagPriority(NonPagedPool, 100, TAG, special);
        } finally {
            Irql.KeLowerIrql(old);
        }
        assertSpecial(a, 100, true);
        assertBugCheck(atIrql(Irql.DISPATCH_LEVEL, () -> ex.ExAllocatePoolWithTagPriority(PagedPool, 100, TAG,
                special)), C2, 0x08, Irql.DISPATCH_LEVEL, PagedPool, 100);
        ex.ExFreePoolWithTag(a, TAG);
    }

    @Test
    void shouldAnswerExQueryPoolBlockSizeForAHugeBlockInWholePagesAndNotOnceItIsFree() {
        long size = 300_001;
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
        assertThat(ex.ExQueryPoolBlockSize(a)).isEqualTo(303_104);
        assertThat(ex.ExQueryPoolBlockSize(a + 300_000)).isEqualTo(303_104);
        assertThatThrownBy(() -> ex.ExQueryPoolBlockSize(a + 300_001)).isInstanceOf(BugCheck.class);
        ex.ExFreePoolWithTag(a, TAG);
        assertThatThrownBy(() -> ex.ExQueryPoolBlockSize(a)).isInstanceOf(BugCheck.class);
    }

    @Test
    void shouldNotCountTheByteRightAfterASpecialBlockAsItsOwn() {
        pool.setSpecialPool(driver, true);
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG);
        assertThat(ex.ExQueryPoolBlockSize(a + 99)).isEqualTo(100);
        assertThatThrownBy(() -> ex.ExQueryPoolBlockSize(a + 100)).isInstanceOf(BugCheck.class);
        ex.ExFreePoolWithTag(a, TAG);
    }

    // ---- blocks with pages of their own: every check at free, in NT's order

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldCheckTheTagAndOwnerOfAHugeOrSpecialBlockAndCatchItsDoubleFreeWhateverTheTag(boolean special) {
        pool.setSpecialPool(driver, special);
        long size = special ? 100 : 300_000;
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, OTHER_TAG)), C2, 0x0A, u(a), u(TAG), u(OTHER_TAG));
        PoolAllocator other = pool.forDriver(newOwner("Other"));
        assertBugCheck(bugCheck(() -> other.ExFreePool(a)), C2, 0x0D, u(a), u(TAG), driver.instance());
        assertBugCheck(atIrql(Irql.HIGH_LEVEL, () -> ex.ExFreePool(a)), C2, 0x09, Irql.HIGH_LEVEL, NonPagedPool, u(a));
        ex.ExFreePoolWithTag(a, TAG);
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, OTHER_TAG)), C2, 0x07, 0, size, u(a));
        assertBugCheck(bugCheck(() -> other.ExFreePool(a)), C2, 0x07, 0, size, u(a));
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldReleaseTheMemoryOfHugeBlocksInBothPoolsAtTheClose() {
        MemorySegment n = memory.resolve(ex.ExAllocatePoolWithTag(NonPagedPool, 300_000, TAG));
        MemorySegment p = memory.resolve(ex.ExAllocatePoolWithTag(PagedPool, 300_000, TAG));
        n.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        pool.close();
        assertThatThrownBy(() -> n.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    // ---- the owner's sticky cache is the first thread's, and only that thread's

    @Test
    void shouldServeAnotherThreadFromItsOwnCacheNotTheOwnersFirstThreads() throws InterruptedException {
        int mine = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        ex.ExFreePoolWithTag(mine, TAG); // on top of this thread's magazine
        AtomicInteger theirs = new AtomicInteger();
        Thread t = Thread.ofPlatform().start(() -> theirs.set(ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG)));
        t.join();
        assertThat(theirs.get()).as("the other thread's block").isNotZero().isNotEqualTo(mine);
        assertThat(ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG)).as("this thread's magazine kept its block")
                .isEqualTo(mine);
    }
    // ---- the depots keep a bounded number of page blocks

    private void freeAll(List<Integer> blocks) {
        for (int b : blocks) {
            ex.ExFreePoolWithTag(b, TAG);
        }
    }

    @Test
    void shouldKeepAtMostFourMagazinesOfPageBlocksInADepotBesidesTheThreadsOwnMagazine() throws InterruptedException {
        int magazine = SizeClasses.MAGAZINE[SizeClasses.pageClass(2)];
        long before = pool.committedBytes(NonPagedPool);
        // one thread frees 5 magazines' worth: its magazine keeps one, the depot four
        List<Integer> blocks = new ArrayList<>();
        Thread t = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 5 * magazine; i++) {
                blocks.add(ex.ExAllocatePoolWithTag(NonPagedPool, 8_192, TAG));
            }
            freeAll(blocks);
        });
        t.join();
        assertThat(pool.committedBytes(NonPagedPool) - before).isEqualTo(5L * magazine * 8_192);
        pool.usage(); // reaps the ended thread: its magazine joins the depot, which keeps four
        assertThat(pool.committedBytes(NonPagedPool) - before).isEqualTo(4L * magazine * 8_192);
    }

    @Test
    void shouldKeepAtMostFourMagazinesOfPageBlocksWhenOneThreadFreesMany() {
        int magazine = SizeClasses.MAGAZINE[SizeClasses.pageClass(2)];
        long before = pool.committedBytes(PagedPool);
        List<Integer> blocks = new ArrayList<>();
        for (int i = 0; i < 7 * magazine; i++) {
            blocks.add(ex.ExAllocatePoolWithTag(PagedPool, 8_192, TAG));
        }
        freeAll(blocks);
        assertThat(pool.committedBytes(PagedPool) - before).as("the magazine and four in the depot")
                .isEqualTo(5L * magazine * 8_192);
    }

}
