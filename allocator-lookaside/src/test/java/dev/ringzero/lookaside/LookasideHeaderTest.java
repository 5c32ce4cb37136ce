package dev.ringzero.lookaside;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.lookaside.LookasideHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * {@link LookasideHeader#initialize}: every field {@code ExInitialize...LookasideList} writes, at x86 NT's
 * {@code GENERAL_LOOKASIDE} offsets (written out here, not taken from the layout the code uses), over a header
 * whose memory held garbage — a driver's pool block is not zeroed.
 */
class LookasideHeaderTest {

    static final int TAG = PoolTag.of("rdHL");

    @Test
    void initializeWritesEveryFieldNtWritesAndLeavesTheListHeadAndFutureAlone() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = arena.allocate(NtLayouts.GENERAL_LOOKASIDE.byteSize(), 8);
            h.fill((byte) 0xA5);

            LookasideHeader.initialize(h, 4, 256, 1, TAG, 24);

            assertThat(h.get(ValueLayout.JAVA_LONG, 0x00)).as("ListHead").isEqualTo(0xA5A5_A5A5_A5A5_A5A5L);
            assertThat(h.get(ValueLayout.JAVA_SHORT, 0x08)).as("Depth").isEqualTo((short) 4);
            assertThat(h.get(ValueLayout.JAVA_SHORT, 0x0A)).as("MaximumDepth").isEqualTo((short) 256);
            assertThat(h.get(ValueLayout.JAVA_INT, 0x0C)).as("TotalAllocates").isZero();
            assertThat(h.get(ValueLayout.JAVA_INT, 0x10)).as("AllocateMisses").isZero();
            assertThat(h.get(ValueLayout.JAVA_INT, 0x14)).as("TotalFrees").isZero();
            assertThat(h.get(ValueLayout.JAVA_INT, 0x18)).as("FreeMisses").isZero();
            assertThat(h.get(ValueLayout.JAVA_INT, 0x1C)).as("Type").isEqualTo(1);
            assertThat(h.get(ValueLayout.JAVA_INT, 0x20)).as("Tag").isEqualTo(TAG);
            assertThat(h.get(ValueLayout.JAVA_INT, 0x24)).as("Size").isEqualTo(24);
            assertThat(h.get(ValueLayout.JAVA_INT, 0x28)).as("Allocate").isZero();
            assertThat(h.get(ValueLayout.JAVA_INT, 0x2C)).as("Free").isZero();
            assertThat(h.get(ValueLayout.JAVA_INT, 0x30)).as("ListEntry.Flink").isZero();
            assertThat(h.get(ValueLayout.JAVA_INT, 0x34)).as("ListEntry.Blink").isZero();
            assertThat(h.get(ValueLayout.JAVA_INT, 0x38)).as("LastTotalAllocates").isZero();
            assertThat(h.get(ValueLayout.JAVA_INT, 0x3C)).as("LastAllocateMisses").isZero();
            assertThat(h.get(ValueLayout.JAVA_LONG, 0x40)).as("Future").isEqualTo(0xA5A5_A5A5_A5A5_A5A5L);
        }
    }

    @Test
    void depthAndMaximumDepthAreUnsignedShorts() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = arena.allocate(NtLayouts.GENERAL_LOOKASIDE.byteSize(), 8);
            LookasideHeader.initialize(h, 0xFFFF, 0xFFFF, 0, TAG, 8);
            assertThat(LookasideHeader.depth(h)).isEqualTo(0xFFFF);
            assertThat(LookasideHeader.maximumDepth(h)).isEqualTo(0xFFFF);
        }
    }
}
