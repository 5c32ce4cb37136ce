package dev.ringzero.api.memory;

import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_CACHE_ALIGNED;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_NON_PAGED;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_NON_PAGED_EXECUTE;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_PAGED;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_RAISE_ON_FAILURE;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_SPECIAL_POOL;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_UNINITIALIZED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code POOL_FLAGS} as wdm.h defines them, NT's translation into a pool type, and {@code EX_POOL_PRIORITY}. */
class PoolFlagsTest {

    @Test
    void shouldHaveWdmHsValues() {
        assertThat(new long[] {PoolFlags.POOL_FLAG_USE_QUOTA, POOL_FLAG_UNINITIALIZED, PoolFlags.POOL_FLAG_SESSION,
                POOL_FLAG_CACHE_ALIGNED, PoolFlags.POOL_FLAG_RESERVED1, POOL_FLAG_RAISE_ON_FAILURE, POOL_FLAG_NON_PAGED,
                POOL_FLAG_NON_PAGED_EXECUTE, POOL_FLAG_PAGED, PoolFlags.POOL_FLAG_RESERVED2, PoolFlags.POOL_FLAG_RESERVED3})
                .containsExactly(0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400);
        assertThat(POOL_FLAG_SPECIAL_POOL).isEqualTo(0x1_0000_0000L).isEqualTo(PoolFlags.POOL_FLAG_OPTIONAL_START);
        assertThat(PoolFlags.POOL_FLAG_REQUIRED_END).isEqualTo(0x8000_0000L);
        assertThat(PoolFlags.POOL_FLAG_OPTIONAL_END).isEqualTo(0x8000_0000_0000_0000L);
    }

    @Test
    void shouldTranslateFlagsIntoNtsPoolType() {
        assertThat(PoolFlags.toPoolType(POOL_FLAG_NON_PAGED)).isEqualTo(0x600);
        assertThat(PoolFlags.toPoolType(POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_UNINITIALIZED)).isEqualTo(0);
        assertThat(PoolFlags.toPoolType(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED | POOL_FLAG_CACHE_ALIGNED
                | POOL_FLAG_RAISE_ON_FAILURE)).isEqualTo(PoolType.PagedPoolCacheAligned | PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE);
        assertThat(PoolFlags.toPoolType(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL | (1L << 63)))
                .as("optional flags leave the type alone").isEqualTo(0x600);
        assertThat(PoolFlags.toPoolType(0)).isEqualTo(PoolFlags.INVALID);
        assertThat(PoolFlags.toPoolType(POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED_EXECUTE)).isEqualTo(PoolFlags.INVALID);
        assertThat(PoolFlags.toPoolType(POOL_FLAG_PAGED | 0x1000)).isEqualTo(PoolFlags.INVALID);
    }

    @Test
    void shouldNameWhatIsWrongAndTheFlagsAsInC() {
        assertThat(PoolFlags.whatIsInvalid(POOL_FLAG_NON_PAGED)).isEmpty();
        assertThat(PoolFlags.whatIsInvalid(POOL_FLAG_UNINITIALIZED)).startsWith("no pool named");
        assertThat(PoolFlags.whatIsInvalid(POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED))
                .isEqualTo("more than one pool named: POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED");
        assertThat(PoolFlags.whatIsInvalid(POOL_FLAG_PAGED | 0x810))
                .isEqualTo("required flag bits 0x810 are reserved or unknown to this pool");
        assertThat(PoolFlags.describe(0)).isEqualTo("0");
        assertThat(PoolFlags.describe(POOL_FLAG_PAGED | POOL_FLAG_SPECIAL_POOL | (1L << 40)))
                .isEqualTo("POOL_FLAG_PAGED | POOL_FLAG_SPECIAL_POOL | 0x10000000000");
    }

    @Test
    void shouldCrackPrioritiesAsNtDoes() {
        for (int p : new int[] {0, 8, 9, 16, 24, 25, 32, 40, 41}) {
            assertThat(PoolPriority.isValid(p)).as("%d", p).isTrue();
            assertThat(PoolPriority.name(p)).contains("PoolPriority");
        }
        for (int p : new int[] {1, 17, 33, 2, 48, -1}) {
            assertThat(PoolPriority.isValid(p)).as("%d", p).isFalse();
        }
        assertThat(PoolPriority.reserve(PoolPriority.LowPoolPrioritySpecialPoolUnderrun)).isEqualTo(2L << 20);
        assertThat(PoolPriority.reserve(PoolPriority.NormalPoolPriority)).isEqualTo(512L << 10);
        assertThat(PoolPriority.reserve(PoolPriority.HighPoolPrioritySpecialPoolOverrun)).isZero();
        assertThat(PoolPriority.wantsSpecialPool(PoolPriority.NormalPoolPrioritySpecialPoolOverrun)).isTrue();
        assertThat(PoolPriority.wantsUnderrunDetection(PoolPriority.NormalPoolPrioritySpecialPoolOverrun)).isFalse();
        assertThat(PoolPriority.wantsUnderrunDetection(PoolPriority.HighPoolPrioritySpecialPoolUnderrun)).isTrue();
        assertThat(PoolPriority.wantsSpecialPool(PoolPriority.HighPoolPriority)).isFalse();
    }
}
