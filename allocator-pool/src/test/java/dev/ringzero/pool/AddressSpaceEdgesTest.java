package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Irql;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SystemMemory;
import org.junit.jupiter.api.Test;

/**
 * The address space at the edges of what it serves, in each kind of chunk (pool, huge, special): the racy peek's
 * values up to the last whole word of the memory behind an address and 0 past it or after a free, zero-length
 * segments, {@code MmIsAddressValid}, and which bug check's text names what went wrong.
 */
class AddressSpaceEdgesTest extends PoolFixture {

    private static final int TAG = PoolTag.of("egdE");
    private static final long HUGE = 300_000; // a quarter of the fixture's 1 MiB chunk or more

    private int allocate(long size) {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, size, TAG);
        assertThat(a).isNotZero();
        return a;
    }

    private AddressSpace space() {
        return pool.engine().memory;
    }

    @Test
    void peekReadsAPoolChunkUpToItsLastWholeWord() {
        allocate(HUGE); // the first chunk: the pool chunk below is not at NON_PAGED_POOL_START, whose double is 0 mod 2^32
        int a = allocate(64);
        assertThat(space().poolChunkAt(a).base).isNotEqualTo(SystemMemory.NON_PAGED_POOL_START);
        memory.writeInt(a + 8, 0x1234_5678);
        assertThat(memory.peekInt(a + 8)).isEqualTo(0x1234_5678);
        PoolChunk pc = space().poolChunkAt(a);
        long end = pc.segment.byteSize();
        pc.segment.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, end - 4, 0xCAFE_BABE);
        assertThat(memory.peekInt(pc.base + (int) end - 4)).isEqualTo(0xCAFE_BABE);
        assertThat(memory.peekInt(pc.base + (int) end - 2)).as("a word running past the chunk's memory").isZero();
    }

    @Test
    void peekReadsAHugeBlockUntilItIsFreed() {
        int a = allocate(HUGE);
        memory.writeInt(a + 296, 77);
        assertThat(memory.peekInt(a + 296)).isEqualTo(77);
        HugeChunk hc = (HugeChunk) space().chunkAt(a);
        long end = hc.segment.byteSize();
        hc.segment.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, end - 4, 0xCAFE_BABE);
        assertThat(memory.peekInt(a + (int) end - 4)).isEqualTo(0xCAFE_BABE);
        assertThat(memory.peekInt(a + (int) end - 2)).isZero();
        ex.ExFreePool(a);
        assertThat(memory.peekInt(a + 296)).as("freed: nothing mapped").isZero();
    }

    @Test
    void peekReadsASpecialBlockToItsLastWordUntilItIsFreed() {
        allocate(64); // the first chunk: the special chunk below is not at NON_PAGED_POOL_START (as above)
        pool.setSpecialPool(driver, true);
        int a = allocate(200);
        assertThat(space().chunkAt(a).base).isNotEqualTo(SystemMemory.NON_PAGED_POOL_START);
        memory.writeInt(a + 196, 0x0BAD_F00D);
        memory.writeInt(a, 5);
        assertThat(memory.peekInt(a + 196)).isEqualTo(0x0BAD_F00D);
        assertThat(memory.peekInt(a)).isEqualTo(5);
        assertThat(memory.peekInt(a + 198)).as("past the bytes asked for").isZero();
        ex.ExFreePool(a);
        assertThat(memory.peekInt(a)).isZero();
        assertThat(memory.peekInt(a + 196)).isZero();
    }

    @Test
    void resolvesZeroBytesAsAnEmptySegmentInEveryKindOfChunk() {
        int small = allocate(64);
        int huge = allocate(HUGE);
        assertThat(memory.resolve(small, 0).byteSize()).isZero();
        assertThat(memory.resolve(small + 10, 0).byteSize()).isZero();
        assertThat(memory.resolve(huge, 0).byteSize()).isZero();
        pool.setSpecialPool(driver, true);
        int special = allocate(200);
        assertThat(memory.resolve(special, 0).byteSize()).isZero();
        assertThat(memory.resolve(special).byteSize()).isEqualTo(200);
        assertThat(memory.addressOf(memory.resolve(special + 8, 16))).isEqualTo(special + 8);
    }

    @Test
    void aSpecialBlocksEndIsNotInTheBlock() {
        pool.setSpecialPool(driver, true);
        int a = allocate(200);
        assertBugCheck(bugCheck(() -> memory.resolve(a + 200)), 0x50, u(a + 200), 0, 0, 0);
        assertBugCheck(bugCheck(() -> memory.resolve(a + 196, 8)), 0x50, u(a + 196), 0, 0, 0);
        assertThat(memory.resolve(a + 196, 4).byteSize()).isEqualTo(4);
    }

    @Test
    void isValidForHugeAndSpecialBlocksUntilTheyAreFreed() {
        int huge = allocate(HUGE);
        assertThat(memory.isValid(huge)).isTrue();
        assertThat(memory.isValid(huge + (int) HUGE - 1)).isTrue();
        assertThat(memory.isValid(huge + (int) HUGE)).as("past the bytes asked for").isFalse();
        pool.setSpecialPool(driver, true);
        int special = allocate(200);
        assertThat(memory.isValid(special + 199)).isTrue();
        ex.ExFreePool(huge);
        ex.ExFreePool(special);
        assertThat(memory.isValid(huge)).isFalse();
        assertThat(memory.isValid(special)).isFalse();
        assertThat(memory.isValid(0x0040_0000)).as("user space: no chunk").isFalse();
    }

    @Test
    void theFaultsTextSaysWhetherAnAddressOrARangeWasNotInALiveBlock() {
        int wild = 0x9000_0000;
        allocate(64);
        BugCheck whole = bugCheck(() -> memory.resolve(wild));
        assertThat(whole.getMessage()).contains(String.format("resolve(address=%08X): not in a live block", wild));
        BugCheck none = bugCheck(() -> memory.resolve(wild, 0));
        assertThat(none.getMessage()).contains(String.format("resolve(address=%08X, byteSize=0): not within a live block", wild));
    }

    @Test
    void theFirstByteOfPagedPoolIsPageableAtDispatchLevel() {
        Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        BugCheck b = bugCheck(() -> memory.resolve(SystemMemory.PAGED_POOL_START));
        assertBugCheck(b, 0xD1, u(SystemMemory.PAGED_POOL_START), Irql.DISPATCH_LEVEL, 0, 0);
        assertThat(b.getMessage()).contains("paged pool is pageable memory");
        BugCheck below = bugCheck(() -> memory.resolve(SystemMemory.PAGED_POOL_START - 4));
        assertThat(below.getMessage()).as("the last word of non-paged pool is not pageable").contains("not in a live block");
    }
}
