package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every misuse of the pool ends in NT's bug check with NT's parameters, and leaves the pool intact. */
class PoolMisuseTest extends PoolFixture {

    private static final int C2 = 0xC2;
    private static final int C4 = 0xC4;
    private static final int TAG = PoolTag.of("tseT");

    private int allocate(int poolType, long size) {
        int a = ex.ExAllocatePoolWithTag(poolType, size, TAG);
        assertThat(a).isNotZero();
        return a;
    }

    private void assertStillAllocated(int address, long size) {
        assertThat(memory.resolve(address).byteSize()).isEqualTo(size);
    }

    @Nested
    class DoubleFree {

        @ParameterizedTest
        @ValueSource(longs = {64, 4080})
        void shouldBugCheck7WithTheHeaderOfASmallBlock(long size) {
            int a = allocate(NonPagedPool, size);
            ex.ExFreePoolWithTag(a, TAG);
            BugCheck b = bugCheck(() -> ex.ExFreePoolWithTag(a, TAG));
            assertBugCheck(b, C2, 0x07, 0, size, u(a));
            assertThat(b.getMessage()).contains(String.format("%08X", a)).contains("already free");
        }

        @Test
        void shouldBugCheck7ForAPageBlock() {
            int a = allocate(PagedPool, 8192);
            ex.ExFreePool(a);
            assertBugCheck(bugCheck(() -> ex.ExFreePool(a)), C2, 0x07, 0, 8192, u(a));
        }

        /** The exact-tag free of a page-class block takes the fast path (freePages), whose liveness test must hold. */
        @ParameterizedTest
        @ValueSource(longs = {5_000, 8_192, 20_000})
        void shouldBugCheck7ForAPageBlockFreedTwiceWithItsExactTag(long size) {
            for (int poolType : new int[] {NonPagedPool, PagedPool}) {
                int a = allocate(poolType, size);
                ex.ExFreePoolWithTag(a, TAG);
                BugCheck b = bugCheck(() -> ex.ExFreePoolWithTag(a, TAG));
                assertBugCheck(b, C2, 0x07, 0, size, u(a));
                assertThat(b.getMessage()).contains(String.format("%08X", a)).contains("already free");
                int first = allocate(poolType, size);
                int second = allocate(poolType, size);
                assertThat(second).as("the block went onto the free list once, pool type %d", poolType).isNotEqualTo(first);
                ex.ExFreePoolWithTag(first, TAG);
                ex.ExFreePoolWithTag(second, TAG);
            }
            assertThat(pool.bytesInUse()).isZero();
        }

        @Test
        void shouldBugCheck7ForAHugeBlock() {
            int a = allocate(NonPagedPool, 2 << 20);
            ex.ExFreePool(a);
            assertBugCheck(bugCheck(() -> ex.ExFreePool(a)), C2, 0x07, 0, 2 << 20, u(a));
        }

        @Test
        void shouldBugCheckC4Code14WithTheHeaderAddressWhenVerified() {
            pool.setVerified(driver, true);
            int a = allocate(NonPagedPool, 64);
            ex.ExFreePoolWithTag(a, TAG);
            assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, TAG)), C4, 0x14, 0, u(a - 16), 64);
        }
    }

    @Test
    void shouldBugCheck0AOnATagMismatchAndKeepTheBlock() {
        int a = allocate(NonPagedPool, 100);
        int wrong = PoolTag.of("gnrW");
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, wrong)), C2, 0x0A, u(a), u(TAG), u(wrong));
        assertStillAllocated(a, 100);
        ex.ExFreePoolWithTag(a, TAG | PoolTag.PROTECTED_POOL); // PROTECTED_POOL is stripped before comparing
    }

    @Test
    void shouldBugCheck0AOnATagMismatchEvenWhenVerified() {
        pool.setVerified(driver, true);
        int a = allocate(PagedPool, 5000);
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, PoolTag.of("gnrW"))), C2, 0x0A, u(a), u(TAG),
                u(PoolTag.of("gnrW")));
        ex.ExFreePoolWithTag(a, 0);
    }

    @Nested
    class NeverAllocated {

        @ParameterizedTest
        @ValueSource(ints = {0x9000_0000, 0xF000_0000, 0x0040_1000, 0x0000_0000})
        void shouldBugCheck46ForAnAddressInNoPool(int address) {
            allocate(NonPagedPool, 64);
            assertBugCheck(bugCheck(() -> ex.ExFreePool(address)), C2, 0x46, u(address), 0, 0);
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 4, 8, 16, 64})
        void shouldBugCheck46ForAnAddressInsideABlock(int delta) {
            int a = allocate(NonPagedPool, 64);
            assertBugCheck(bugCheck(() -> ex.ExFreePool(a + delta)), C2, 0x46, u(a + delta), 0, 0);
            assertStillAllocated(a, 64);
        }

        @Test
        void shouldBugCheck46ForASlotNeverHandedOut() {
            int a = allocate(NonPagedPool, 64);
            int neighbour = a + 40 * SizeClasses.STRIDE[SizeClasses.classOf(64)]; // a slot start never handed out
            assertBugCheck(bugCheck(() -> ex.ExFreePool(neighbour)), C2, 0x46, u(neighbour), 0, 0);
        }

        @Test
        void shouldBugCheck46ForTheMiddleOfAPageBlock() {
            int a = allocate(NonPagedPool, 3 * 4096);
            assertBugCheck(bugCheck(() -> ex.ExFreePool(a + 4096)), C2, 0x46, u(a + 4096), 0, 0);
        }

        @Test
        void shouldBugCheckC4Code10WhenVerified() {
            pool.setVerified(driver, true);
            assertBugCheck(bugCheck(() -> ex.ExFreePool(0x9000_0000)), C4, 0x10, 0x9000_0000L, 0, 0);
        }
    }

    @Nested
    class Irqls {

        @Test
        void shouldBugCheck8ForPagedPoolAboveApcLevel() {
            Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
            assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(PagedPool, 100, TAG)), C2, 0x08, 2, 1, 100);
        }

        @Test
        void shouldAllowNonPagedPoolAtDispatchLevelButNotAbove() {
            Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
            int a = allocate(NonPagedPool, 100);
            ex.ExFreePoolWithTag(a, TAG);
            Irql.KeRaiseIrql(Irql.HIGH_LEVEL);
            assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG)), C2, 0x08, 31, 0, 100);
        }

        @Test
        void shouldBugCheckC4Codes1And2WhenVerified() {
            pool.setVerified(driver, true);
            Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
            assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(PagedPool, 100, TAG)), C4, 0x01, 2, 1, 100);
            Irql.KeRaiseIrql(Irql.HIGH_LEVEL);
            assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG)), C4, 0x02, 31, 0, 100);
        }

        @Test
        void shouldBugCheck9ForFreeingPagedPoolAboveApcLevelAndKeepTheBlock() {
            int a = allocate(PagedPool, 100);
            int old = Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
            assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, TAG)), C2, 0x09, 2, PagedPool, u(a));
            Irql.KeLowerIrql(old);
            assertStillAllocated(a, 100);
            ex.ExFreePoolWithTag(a, TAG);
        }

        @Test
        void shouldBugCheckC4Codes11And12WhenVerified() {
            pool.setVerified(driver, true);
            int paged = allocate(PagedPool, 100);
            int nonPaged = allocate(NonPagedPool, 100);
            Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
            assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(paged, TAG)), C4, 0x11, 2, PagedPool, u(paged));
            Irql.KeRaiseIrql(Irql.HIGH_LEVEL);
            assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(nonPaged, TAG)), C4, 0x12, 31, NonPagedPool, u(nonPaged));
        }
    }

    @Test
    void shouldBugCheck0ForAZeroByteRequest() {
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(PagedPool, 0, TAG)), C2, 0x00, 0, PagedPool, u(TAG));
        pool.setVerified(driver, true);
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(PagedPool, 0, TAG)), C4, 0x00, 0, PagedPool, 0);
    }

    @Test
    void shouldBugCheck9AForMustSucceedPool() {
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(PoolType.NonPagedPoolMustSucceed, 32, TAG)), C2, 0x9A,
                PoolType.NonPagedPoolMustSucceed, 32, u(TAG));
    }

    @Test
    void shouldBugCheck9B9C9DForTagsThatCannotBeTracked() {
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(PagedPool, 24, 0)), C2, 0x9B, PagedPool, 24, 0);
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 24, PoolTag.of(" GIB"))), C2, 0x9C,
                NonPagedPool, 24, 0);
        int blank = PoolTag.of("    ");
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(NonPagedPool, 24, blank)), C2, 0x9D, u(blank),
                NonPagedPool, 0);
        int punctuation = PoolTag.of("!-+*");
        assertBugCheck(bugCheck(() -> ex.ExAllocatePoolWithTag(PagedPool, 24, punctuation)), C2, 0x9D, u(punctuation),
                PagedPool, 0);
        assertThat(ex.ExAllocatePoolWithTag(PagedPool, 24, PoolTag.of("!-+A"))).as("one letter is enough").isNotZero();
    }

    @Test
    void shouldTreatANegativeSizeAsAHugeSizeTThatNoPoolHolds() {
        assertThat(ex.ExAllocatePoolWithTag(NonPagedPool, -1, TAG)).isZero();
        assertThatThrownBy(() -> ex.ExAllocatePoolWithTag(NonPagedPool | PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE,
                -4096, TAG))
                .isInstanceOfSatisfying(NtStatusException.class,
                        e -> assertThat(e.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES))
                .hasMessageContaining("NumberOfBytes=-4096");
    }

    @Test
    void shouldBugCheck0DWhenAnotherOwnerFreesTheBlockAndLeaveItIntact() {
        int a = allocate(NonPagedPool, 64);
        memory.resolve(a).set(ValueLayout.JAVA_LONG, 0, 0x1122_3344_5566_7788L);
        PoolAllocator other = pool.forDriver(newOwner("Intruder"));
        BugCheck b = bugCheck(() -> other.ExFreePoolWithTag(a, TAG));
        assertBugCheck(b, C2, 0x0D, u(a), u(TAG), driver.instance());
        assertThat(b.getMessage()).contains(driver.toString()).contains("Intruder");
        assertThat(memory.resolve(a).get(ValueLayout.JAVA_LONG, 0)).isEqualTo(0x1122_3344_5566_7788L);
        ex.ExFreePoolWithTag(a, TAG);
    }

    @Nested
    class LookasideMark {

        @Test
        void shouldBugCheckC4CodeCCWhenAVerifiedOwnerFreesALiveLookasideList() {
            pool.setVerified(driver, true);
            int a = allocate(NonPagedPool, 0x68);
            pool.setLookasideMark(a + 8, true);
            assertThat(pool.hasLookasideMark(a)).isTrue();
            assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, TAG)), C4, 0xCC, u(a + 8), u(a), 0x68);
            assertStillAllocated(a, 0x68);
            pool.setLookasideMark(a + 8, false);
            assertThat(pool.hasLookasideMark(a)).isFalse();
            ex.ExFreePoolWithTag(a, TAG);
        }

        @Test
        void shouldFreeAMarkedBlockWithoutTheVerifierAndClearTheMark() {
            int a = allocate(PagedPool, 0x68);
            pool.setLookasideMark(a, true);
            ex.ExFreePoolWithTag(a, TAG);
            assertThat(pool.hasLookasideMark(a)).isFalse();
            int again = allocate(PagedPool, 0x68);
            assertThat(again).isEqualTo(a);
            assertThat(pool.hasLookasideMark(again)).as("a new block starts unmarked").isFalse();
        }

        @Test
        void shouldMarkPageBlocksToo() {
            pool.setVerified(driver, true);
            int a = allocate(NonPagedPool, 10_000);
            pool.setLookasideMark(a + 4096, true);
            assertBugCheck(bugCheck(() -> ex.ExFreePool(a)), C4, 0xCC, u(a + 4096), u(a), 10_000);
        }

        @Test
        void shouldRefuseToMarkAnAddressInNoLiveBlock() {
            assertBugCheck(bugCheck(() -> pool.setLookasideMark(0x9000_0000, true)), 0x50, 0x9000_0000L, 1, 0, 0);
        }
    }
}
