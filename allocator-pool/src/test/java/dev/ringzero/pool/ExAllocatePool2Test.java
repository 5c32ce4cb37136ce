package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_CACHE_ALIGNED;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_NON_PAGED;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_NON_PAGED_EXECUTE;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_PAGED;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_RAISE_ON_FAILURE;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_RESERVED1;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_RESERVED2;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_RESERVED3;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_SESSION;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_SPECIAL_POOL;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_UNINITIALIZED;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_USE_QUOTA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.memory.PoolExtendedParameter;
import dev.ringzero.api.memory.PoolFlags;
import dev.ringzero.api.memory.PoolPriority;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.spi.memory.ExecutivePool.PoolUsedSort;
import dev.ringzero.spi.memory.PoolBlockInfo;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ExAllocatePool2}, {@code ExAllocatePool3} and {@code ExFreePool2} against the real pool, a table
 * per rule of Microsoft's reference pages ({@code docs/pool-flags.md}): each flag, each invalid
 * combination, zeroing, raise on failure, quota, special pool, the verifier, the accounting.
 */
class ExAllocatePool2Test extends PoolFixture {

    private static final int TAG = PoolTag.of("2lpP");

    // ------------------------------------------------------------------ each flag

    static Stream<Arguments> poolFlags() {
        return Stream.of(
                Arguments.of(POOL_FLAG_NON_PAGED, PoolType.NonPagedPoolNx | PoolType.POOL_ZERO_ALLOCATION, false),
                Arguments.of(POOL_FLAG_NON_PAGED_EXECUTE, PoolType.NonPagedPool | PoolType.POOL_ZERO_ALLOCATION, false),
                Arguments.of(POOL_FLAG_PAGED, PoolType.PagedPool | PoolType.POOL_ZERO_ALLOCATION, true),
                Arguments.of(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, PoolType.NonPagedPoolNx, false),
                Arguments.of(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED, PoolType.PagedPool, true),
                Arguments.of(POOL_FLAG_PAGED | POOL_FLAG_SESSION,
                        PoolType.PagedPool | PoolType.SESSION_POOL_MASK | PoolType.POOL_ZERO_ALLOCATION, true),
                Arguments.of(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED,
                        PoolType.NonPagedPoolNxCacheAligned | PoolType.POOL_ZERO_ALLOCATION, false),
                Arguments.of(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA,
                        PoolType.NonPagedPoolNx | PoolType.QUOTA_POOL_MASK | PoolType.POOL_ZERO_ALLOCATION, false),
                Arguments.of(POOL_FLAG_PAGED | POOL_FLAG_RAISE_ON_FAILURE,
                        PoolType.PagedPool | PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE | PoolType.POOL_ZERO_ALLOCATION, true),
                Arguments.of(POOL_FLAG_NON_PAGED | (1L << 40), PoolType.NonPagedPoolNx | PoolType.POOL_ZERO_ALLOCATION, false));
    }

    @ParameterizedTest
    @MethodSource("poolFlags")
    void shouldDrawEachFlagsBlockFromItsPoolWithNtsPoolType(long flags, int poolType, boolean paged) {
        assertThat(PoolFlags.toPoolType(flags)).as(PoolFlags.describe(flags)).isEqualTo(poolType);
        int a = ex.ExAllocatePool2(flags, 48, TAG);
        assertThat(a).as(PoolFlags.describe(flags)).isNotZero();
        assertThat(Integer.compareUnsigned(a, 0xC000_0000) >= 0).as("paged address").isEqualTo(paged);
        PoolBlockInfo block = pool.queryBlock(a);
        assertThat(block.poolType()).isEqualTo(poolType);
        assertThat(block.size()).isEqualTo(48);
        assertThat(block.tag()).isEqualTo(TAG);
        assertThat(memory.resolve(a).byteSize()).isEqualTo(48);
        ex.ExFreePoolWithTag(a, TAG);
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldCacheAlignTheBlock() {
        for (long flags : new long[] {POOL_FLAG_NON_PAGED, POOL_FLAG_PAGED}) {
            int a = ex.ExAllocatePool2(flags | POOL_FLAG_CACHE_ALIGNED, 40, TAG);
            int b = ex.ExAllocatePool2(flags | POOL_FLAG_CACHE_ALIGNED, 24, TAG);
            assertThat(a % 64).isZero();
            assertThat(b % 64).isZero();
            ex.ExFreePool(a);
            ex.ExFreePool(b);
        }
    }

    // ------------------------------------------------------------------ zeroing

    @ParameterizedTest
    @ValueSource(longs = {64, 4000, 9000, 100_000})
    void shouldZeroTheBlockUnlessAskedNotTo(long size) {
        for (long pool : new long[] {POOL_FLAG_NON_PAGED, POOL_FLAG_PAGED}) {
            int dirty = ex.ExAllocatePool2(pool | POOL_FLAG_UNINITIALIZED, size, TAG);
            memory.resolve(dirty).fill((byte) 0x5A);
            ex.ExFreePoolWithTag(dirty, TAG);

            int zeroed = ex.ExAllocatePool2(pool, size, TAG);
            assertThat(zeroed).as("the same block comes back").isEqualTo(dirty);
            assertEveryByte(memory.resolve(zeroed), (byte) 0);
            memory.resolve(zeroed).fill((byte) 0x5A);
            ex.ExFreePoolWithTag(zeroed, TAG);

            int uninitialized = ex.ExAllocatePool2(pool | POOL_FLAG_UNINITIALIZED, size, TAG);
            assertThat(uninitialized).isEqualTo(dirty);
            assertEveryByte(memory.resolve(uninitialized), (byte) 0x5A);
            ex.ExFreePoolWithTag(uninitialized, TAG);
        }
    }

    @Test
    void shouldZeroWithExAllocatePoolZeroAndNotWithExAllocatePoolUninitialized() {
        int dirty = ex.ExAllocatePoolWithTag(PoolType.NonPagedPoolNx, 200, TAG);
        memory.resolve(dirty).fill((byte) 0x77);
        ex.ExFreePool(dirty);
        int kept = ex.ExAllocatePoolUninitialized(PoolType.NonPagedPoolNx, 200, TAG);
        assertThat(kept).isEqualTo(dirty);
        assertEveryByte(memory.resolve(kept), (byte) 0x77);
        ex.ExFreePool(kept);
        int zeroed = ex.ExAllocatePoolZero(PoolType.NonPagedPoolNx, 200, TAG);
        assertThat(zeroed).isEqualTo(dirty);
        assertEveryByte(memory.resolve(zeroed), (byte) 0);
        ex.ExFreePool(zeroed);
    }

    // ------------------------------------------------------------------ invalid flags and tags

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of(0L, TAG, "no pool named"),
                Arguments.of(POOL_FLAG_UNINITIALIZED, TAG, "no pool named"),
                Arguments.of(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, TAG, "more than one pool named"),
                Arguments.of(POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE, TAG, "more than one pool named"),
                Arguments.of(POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED, TAG, "more than one pool named"),
                Arguments.of(POOL_FLAG_NON_PAGED | POOL_FLAG_RESERVED1, TAG, "0x10 are reserved or unknown"),
                Arguments.of(POOL_FLAG_PAGED | POOL_FLAG_RESERVED2, TAG, "0x200 are reserved or unknown"),
                Arguments.of(POOL_FLAG_PAGED | POOL_FLAG_RESERVED3, TAG, "0x400 are reserved or unknown"),
                Arguments.of(POOL_FLAG_NON_PAGED | 0x800L, TAG, "0x800 are reserved or unknown"),
                Arguments.of(POOL_FLAG_NON_PAGED | 0x8000_0000L, TAG, "0x80000000 are reserved or unknown"),
                Arguments.of(POOL_FLAG_NON_PAGED, 0, "a tag of zero is invalid"));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void shouldFailAnInvalidRequestWithNullOrRaiseInvalidParameterAndNeverBugCheck(long flags, int tag, String why) {
        for (boolean verified : new boolean[] {false, true}) {
            pool.setVerified(driver, verified);
            assertThat(ex.ExAllocatePool2(flags, 64, tag)).as("%s, verified=%b", PoolFlags.describe(flags), verified).isZero();
            assertThatThrownBy(() -> ex.ExAllocatePool2(flags | POOL_FLAG_RAISE_ON_FAILURE, 64, tag))
                    .isInstanceOfSatisfying(NtStatusException.class,
                            e -> assertThat(e.status()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER))
                    .hasMessageContaining("ExAllocatePool2(Flags=").hasMessageContaining(why);
        }
        assertThat(pool.bytesInUse()).isZero();
        assertThat(pool.usage()).isEmpty();
    }

    @Test
    void shouldLeaveTheOtherTagChecksToThePoolAsExAllocatePoolWithTagDoes() {
        assertBugCheck(bugCheck(() -> ex.ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, PoolTag.of("    "))),
                0xC2, 0x9D, u(PoolTag.of("    ")), PoolType.NonPagedPoolNx | PoolType.POOL_ZERO_ALLOCATION, 0);
        assertThat(bugCheck(() -> ex.ExAllocatePool2(POOL_FLAG_NON_PAGED, 0, TAG)).parameter1()).as("zero size").isZero();
    }

    // ------------------------------------------------------------------ IRQL and the verifier

    @Test
    void shouldBugCheckPagedPoolAboveApcLevelAsTheOldCallDoes() {
        Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        int type = PoolType.PagedPool | PoolType.POOL_ZERO_ALLOCATION;
        assertBugCheck(bugCheck(() -> ex.ExAllocatePool2(POOL_FLAG_PAGED, 64, TAG)), 0xC2, 0x08, Irql.DISPATCH_LEVEL, type, 64);
        int a = ex.ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TAG);
        assertThat(a).as("non-paged pool at DISPATCH_LEVEL").isNotZero();
        ex.ExFreePool(a);
        pool.setVerified(driver, true);
        assertBugCheck(bugCheck(() -> ex.ExAllocatePool2(POOL_FLAG_PAGED, 64, TAG)), 0xC4, 0x01, Irql.DISPATCH_LEVEL, type, 64);
        assertBugCheck(bugCheck(() -> ex.ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 0, TAG)), 0xC4, 0x00,
                Irql.DISPATCH_LEVEL, PoolType.NonPagedPool | PoolType.POOL_ZERO_ALLOCATION, 0);
    }

    @Test
    void shouldListAVerifiedDriversLeakedBlockWithItsTagAndSite() {
        pool.setVerified(driver, true);
        int a = ex.ExAllocatePool2(POOL_FLAG_PAGED, 300, TAG);
        List<PoolBlockInfo> leaks = pool.outstanding(driver);
        assertThat(leaks).hasSize(1);
        assertThat(leaks.getFirst().address()).isEqualTo(a);
        assertThat(leaks.getFirst().tag()).isEqualTo(TAG);
        assertThat(leaks.getFirst().allocationSite()).isNotNull();
        assertThat(leaks.getFirst().allocationSite().getClassName()).isEqualTo(ExAllocatePool2Test.class.getName());
        ex.ExFreePool2(a, TAG, null, 0);
        assertThat(pool.outstanding(driver)).isEmpty();
    }

    // ------------------------------------------------------------------ quota, special pool

    @Test
    void shouldMarkAQuotaBlockAndChargeNoProcessOnASystemThread() {
        int a = ex.ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA, 128, TAG);
        assertThat(pool.queryBlock(a).poolType() & PoolType.QUOTA_POOL_MASK).isNotZero();
        assertThat(pool.usage()).containsExactly(new PoolTagUsage(TAG, true, 1, 0, 128));
        ex.ExFreePoolWithTag(a, TAG);
        assertThat(pool.usage()).containsExactly(new PoolTagUsage(TAG, true, 1, 1, 0));
    }

    @Test
    void shouldServePoolFlagSpecialPoolFromSpecialPool() {
        int a = ex.ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, 100, TAG);
        assertThat((a + 112) & 4095).as("the block ends at its page's end").isZero();
        MemorySegment kept = memory.resolve(a);
        assertEveryByte(kept, (byte) 0);
        ex.ExFreePoolWithTag(a, TAG);
        assertThatThrownBy(() -> kept.get(ValueLayout.JAVA_BYTE, 0)).as("its arena is closed at free")
                .isInstanceOf(IllegalStateException.class);
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldPlaceAnUnderrunPriorityBlockAtItsPageStart() {
        int a = ex.ExAllocatePool3(POOL_FLAG_PAGED, 100, TAG,
                new PoolExtendedParameter[] {PoolExtendedParameter.priority(PoolPriority.NormalPoolPrioritySpecialPoolUnderrun)}, 1);
        assertThat(a & 4095).isZero();
        assertThat(memory.resolve(a).byteSize()).isEqualTo(100);
        ex.ExFreePool(a);
        pool.setSpecialPool(driver, true);
        int b = ex.ExAllocatePoolWithTagPriority(PoolType.NonPagedPoolNx, 100, TAG, PoolPriority.HighPoolPrioritySpecialPoolUnderrun);
        assertThat(b & 4095).as("an owner in special pool, placed as the priority says").isZero();
        int c = ex.ExAllocatePoolWithTagPriority(PoolType.NonPagedPoolNx, 100, TAG, PoolPriority.HighPoolPriority);
        assertThat((c + 112) & 4095).isZero();
        ex.ExFreePool(b);
        ex.ExFreePool(c);
        assertThat(pool.bytesInUse()).isZero();
    }

    // ------------------------------------------------------------------ ExAllocatePool3's parameters

    static Stream<Arguments> extendedParameters() {
        PoolExtendedParameter secure = new PoolExtendedParameter(PoolExtendedParameter.PoolExtendedParameterSecurePool, false, 0);
        PoolExtendedParameter invalidType = new PoolExtendedParameter(PoolExtendedParameter.PoolExtendedParameterInvalidType, false, 0);
        PoolExtendedParameter unknownType = new PoolExtendedParameter(PoolExtendedParameter.PoolExtendedParameterMax, false, 0);
        return Stream.of(
                Arguments.of(POOL_FLAG_NON_PAGED, PoolExtendedParameter.priority(PoolPriority.NormalPoolPriority), true),
                Arguments.of(POOL_FLAG_NON_PAGED, PoolExtendedParameter.priority(17), false),
                Arguments.of(POOL_FLAG_NON_PAGED, PoolExtendedParameter.priority(PoolPriority.LowPoolPriority | 1), false),
                Arguments.of(POOL_FLAG_NON_PAGED, PoolExtendedParameter.priority(17).asOptional(), true),
                Arguments.of(POOL_FLAG_NON_PAGED, secure, false),
                Arguments.of(POOL_FLAG_NON_PAGED, secure.asOptional(), true),
                Arguments.of(POOL_FLAG_NON_PAGED, invalidType, false),
                Arguments.of(POOL_FLAG_NON_PAGED, invalidType.asOptional(), true),
                Arguments.of(POOL_FLAG_NON_PAGED, unknownType, false),
                Arguments.of(POOL_FLAG_NON_PAGED, unknownType.asOptional(), true),
                Arguments.of(POOL_FLAG_NON_PAGED, PoolExtendedParameter.preferredNode(0), true),
                Arguments.of(POOL_FLAG_NON_PAGED, PoolExtendedParameter.preferredNode(1), false),
                Arguments.of(POOL_FLAG_NON_PAGED, PoolExtendedParameter.preferredNode(1 | PoolExtendedParameter.MM_ANY_NODE_OK), true),
                Arguments.of(POOL_FLAG_PAGED, PoolExtendedParameter.preferredNode(0), false),
                Arguments.of(POOL_FLAG_PAGED, PoolExtendedParameter.preferredNode(0).asOptional(), true));
    }

    @ParameterizedTest
    @MethodSource("extendedParameters")
    void shouldHonourOrRejectEachExtendedParameterAsNtDoes(long flags, PoolExtendedParameter parameter, boolean succeeds) {
        PoolExtendedParameter[] params = {parameter};
        int a = ex.ExAllocatePool3(flags, 64, TAG, params, 1);
        assertThat(a != 0).as("%s with %s", PoolFlags.describe(flags), parameter).isEqualTo(succeeds);
        if (succeeds) {
            assertEveryByte(memory.resolve(a), (byte) 0);
            ex.ExFreePool(a);
        } else {
            assertThatThrownBy(() -> ex.ExAllocatePool3(flags | POOL_FLAG_RAISE_ON_FAILURE, 64, TAG, params, 1))
                    .isInstanceOfSatisfying(NtStatusException.class,
                            e -> assertThat(e.status()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER))
                    .hasMessageContaining("ExAllocatePool3(").hasMessageContaining("ExtendedParameters[0]");
        }
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldRejectACountTheArrayCannotHold() {
        PoolExtendedParameter[] one = {PoolExtendedParameter.priority(PoolPriority.HighPoolPriority)};
        assertThat(ex.ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, TAG, one, 2)).isZero();
        assertThat(ex.ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, TAG, null, 1)).isZero();
        assertThat(ex.ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, TAG, one, -1)).isZero();
        int a = ex.ExAllocatePool3(POOL_FLAG_NON_PAGED, 64, TAG, null, 0);
        assertThat(a).isNotZero();
        ex.ExFreePool(a);
    }

    // ------------------------------------------------------------------ freeing, accounting

    @Test
    void shouldFreeWithEveryFreeCallAndCountThemAllUnderTheTag() {
        int a = ex.ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, TAG);
        int b = ex.ExAllocatePool2(POOL_FLAG_NON_PAGED, 200, TAG);
        int c = ex.ExAllocatePool2(POOL_FLAG_NON_PAGED, 300, TAG);
        int d = ex.ExAllocatePool2(POOL_FLAG_PAGED, 5000, TAG);
        assertThat(pool.usage()).containsExactly(new PoolTagUsage(TAG, false, 3, 0, 600), new PoolTagUsage(TAG, true, 1, 0, 5000));
        assertThat(pool.renderPoolUsed(PoolUsedSort.TAG, "Ppl2")).contains("Ppl2");
        ex.ExFreePool(a);
        ex.ExFreePoolWithTag(b, TAG);
        ex.ExFreePool2(c, TAG, null, 0);
        ex.ExFreePool2(d, 0, new PoolExtendedParameter[0], 0);
        assertThat(pool.usage()).containsExactly(new PoolTagUsage(TAG, false, 3, 3, 0), new PoolTagUsage(TAG, true, 1, 1, 0));
    }

    @Test
    void shouldBugCheckExFreePool2WithExtendedParametersAndKeepTheBlock() {
        int a = ex.ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TAG);
        PoolExtendedParameter[] secure = {new PoolExtendedParameter(PoolExtendedParameter.PoolExtendedParameterSecurePool, false, 0)};
        assertBugCheck(bugCheck(() -> ex.ExFreePool2(a, TAG, secure, 1)), 0xC2, 0x46, u(a), 0, 0);
        assertThat(pool.bytesInUse()).as("the block stays allocated").isEqualTo(64);
        assertBugCheck(bugCheck(() -> ex.ExFreePool2(a, TAG, null, 1)), 0xC2, 0x46, u(a), 0, 0);
        assertBugCheck(bugCheck(() -> ex.ExFreePool2(a, PoolTag.of("gnoW"), null, 0)), 0xC2, 0x0A, u(a), u(TAG), u(PoolTag.of("gnoW")));
        ex.ExFreePool2(a, TAG, null, 0);
        assertThat(pool.bytesInUse()).isZero();
    }

    private static void assertEveryByte(MemorySegment s, byte expected) {
        for (long i = 0; i < s.byteSize(); i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) != expected) {
                throw new AssertionError(String.format("byte %d of %d is 0x%02X, expected 0x%02X", i, s.byteSize(),
                        s.get(ValueLayout.JAVA_BYTE, i), expected));
            }
        }
    }
}
