package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.memory.PoolTag;
import org.junit.jupiter.api.Test;

/**
 * The chunk's block-start bitmap, which the fast free and {@code resolve} trust to tell a block's
 * first byte from any other address, agrees with the slab geometry it replaces there.
 */
class BlockStartsTest extends PoolFixture {

    private static final int TAG = PoolTag.of("trtS");

    @Test
    void shouldMarkExactlyTheBlockStartsOfEverySmallClass() {
        PoolEngine engine = pool.engine();
        for (int cls = 0; cls < SizeClasses.SMALL_CLASSES; cls++) {
            int slots = SizeClasses.SLOTS[cls];
            int[] blocks = new int[slots];
            assertThat(engine.nonPaged.carve(cls, blocks, 0, slots)).isEqualTo(slots); // a whole new slab
            PoolChunk pc = engine.memory.poolChunkAt(blocks[0]);
            int slab = (blocks[0] - pc.base) & ~SizeClasses.SLAB_MASK;
            int starts = 0;
            for (int off = slab; off < slab + SizeClasses.SLAB_SIZE; off++) {
                boolean expected = (off & 15) == 0 && SizeClasses.isBlockStart(cls, off & SizeClasses.SLAB_MASK);
                assertThat(pc.blockStartMisfit(off) == 0).as("class %d, slab offset %d", cls, off - slab).isEqualTo(expected);
                starts += expected ? 1 : 0;
            }
            assertThat(starts).isEqualTo(slots);
            engine.nonPaged.depots[cls].give(blocks, 0, slots); // back to the class, free
        }
    }

    @Test
    void shouldRefuseToFreeOrResolveFromAnyAddressInsideABlockButItsStart() {
        for (int size : new int[] {1, 48, 64, 1000, 4080}) {
            int a = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
            ex.ExFreePoolWithTag(a, TAG);
            a = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG); // the fast path's block
            for (int off : new int[] {-16, -8, -1, 1, 8, 16, size + 1, size + 15}) { // headers, insides, the slack after
                int wild = a + off;
                assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(wild, TAG)), 0xC2, 0x46, u(wild), 0, 0);
            }
            assertThat(memory.resolve(a).byteSize()).isEqualTo(size);
            assertThat(memory.resolve(a + size - 1).byteSize()).isEqualTo(1);
            ex.ExFreePoolWithTag(a, TAG);
            assertThat(memory.isValid(a)).isFalse();
        }
        assertThat(pool.bytesInUse()).isZero();
    }
}
