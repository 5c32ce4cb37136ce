package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizeClassesTest {

    @Test
    void shouldFindTheSlotOfEveryOffsetWithoutDividing() {
        for (int cls = 0; cls < SizeClasses.SMALL_CLASSES; cls++) {
            int stride = SizeClasses.STRIDE[cls];
            for (int offset = 0; offset < SizeClasses.SLAB_SIZE; offset++) {
                if (SizeClasses.slotOf(cls, offset) != offset / stride) {
                    throw new AssertionError("class " + cls + " offset " + offset);
                }
            }
        }
    }

    @Test
    void shouldTellEveryBlockStartFromEveryOtherOffset() {
        for (int cls = 0; cls < SizeClasses.SMALL_CLASSES; cls++) {
            int stride = SizeClasses.STRIDE[cls];
            for (int offset = 0; offset < SizeClasses.SLAB_SIZE; offset++) {
                boolean start = offset % stride == PoolHeader.SIZE && offset / stride < SizeClasses.SLOTS[cls];
                if (SizeClasses.isBlockStart(cls, offset) != start) {
                    throw new AssertionError("class " + cls + " offset " + offset);
                }
            }
        }
    }

    @Test
    void shouldPutEachRequestInTheSmallestClassThatHoldsIt() {
        assertThat(SizeClasses.PAYLOAD[SizeClasses.classOf(1)]).isEqualTo(16);
        assertThat(SizeClasses.PAYLOAD[SizeClasses.classOf(16)]).isEqualTo(16);
        assertThat(SizeClasses.PAYLOAD[SizeClasses.classOf(17)]).isEqualTo(32);
        assertThat(SizeClasses.PAYLOAD[SizeClasses.classOf(257)]).isEqualTo(320);
        assertThat(SizeClasses.classOf(4080)).isEqualTo(SizeClasses.SMALL_CLASSES - 1);
        assertThat(SizeClasses.classOf(4081)).isEqualTo(SizeClasses.pageClass(1));
        assertThat(SizeClasses.classOf(4096)).isEqualTo(SizeClasses.pageClass(1));
        assertThat(SizeClasses.classOf(4097)).isEqualTo(SizeClasses.pageClass(2));
        assertThat(SizeClasses.classOf(SizeClasses.MAX_CACHED_BYTES)).isEqualTo(SizeClasses.CLASSES - 1);
        for (int n = 1; n <= SizeClasses.MAX_CACHED_BYTES; n++) {
            int cls = SizeClasses.classOf(n);
            assertThat(SizeClasses.PAYLOAD[cls]).isGreaterThanOrEqualTo(n);
            if (cls > 0 && cls != SizeClasses.SMALL_CLASSES) {
                assertThat(SizeClasses.PAYLOAD[cls - 1]).isLessThan(n);
            }
        }
        for (int cls = 0; cls < SizeClasses.SMALL_CLASSES; cls++) {
            assertThat(SizeClasses.STRIDE[cls] % 16).isZero();
            assertThat(SizeClasses.SLOTS[cls] * SizeClasses.STRIDE[cls]).isLessThanOrEqualTo(SizeClasses.SLAB_SIZE);
        }
    }
}
