package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static dev.ringzero.api.memory.PoolType.PagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verifier's special pool: each block its own arena, faults at the access that overruns or comes late. */
class SpecialPoolTest extends PoolFixture {

    private static final int TAG = PoolTag.of("lpsS");

    @ParameterizedTest
    @ValueSource(ints = {NonPagedPool, PagedPool})
    void shouldFaultD6AtTheFirstByteBeyondTheBlock(int poolType) {
        pool.setSpecialPool(driver, true);
        int a = ex.ExAllocatePoolWithTag(poolType, 100, TAG);
        MemorySegment s = memory.resolve(a);
        assertThat(s.byteSize()).isEqualTo(100);
        s.set(ValueLayout.JAVA_INT, 96, 7);
        IndexOutOfBoundsException overrun = catchOutOfBounds(() -> s.get(ValueLayout.JAVA_INT, 100));
        BugCheck b = pool.translateFault(overrun);
        assertBugCheck(b, 0xD6, u(a + 100), 0, 0, 0);
        assertThat(b.getCause()).isSameAs(overrun);
        assertThat(memory.addressOf(s.asSlice(10))).isEqualTo(a + 10);
    }

    @Test
    void shouldEndTheBlockAtItsPageEndBeforeAGuardPage() {
        pool.setSpecialPool(driver, true);
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG);
        assertThat((a + 112) & 4095).as("end aligned to the page end (rounded to 16)").isZero();
        assertBugCheck(bugCheck(() -> memory.readInt(a + 112)), 0x50, u(a + 112), 0, 0, 0);
        int b = ex.ExAllocatePoolWithTag(NonPagedPool, 5000, TAG);
        assertThat(memory.resolve(b).byteSize()).isEqualTo(5000);
        assertThat(ex.ExQueryPoolBlockSize(b)).isEqualTo(5000);
    }

    @Test
    void shouldFaultD5WhenAFreedBlockIsTouchedAndBugCheckOnStaleAddresses() {
        pool.setSpecialPool(driver, true);
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, TAG);
        MemorySegment kept = memory.resolve(a);
        kept.set(ValueLayout.JAVA_LONG, 0, 1L);
        ex.ExFreePoolWithTag(a, TAG);
        Throwable late = null;
        try {
            kept.get(ValueLayout.JAVA_LONG, 0);
        } catch (IllegalStateException e) {
            late = e;
        }
        assertThat(late).isNotNull().hasMessageContaining("closed");
        assertThat(pool.translateFault(late).code().code()).isEqualTo(0xD5);
        assertBugCheck(bugCheck(() -> memory.resolve(a)), 0x50, u(a), 0, 0, 0);
        assertThat(memory.peekInt(a)).isZero();
        assertBugCheck(bugCheck(() -> ex.ExFreePoolWithTag(a, TAG)), 0xC2, 0x07, 0, 64, u(a));
        assertThat(pool.bytesInUse()).isZero();
    }

    @Test
    void shouldMapAnOverrunOutsideSpecialPoolTo50WithTheAddress() {
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 24, TAG);
        MemorySegment s = memory.resolve(a);
        IndexOutOfBoundsException overrun = catchOutOfBounds(() -> s.get(ValueLayout.JAVA_LONG, 24));
        assertBugCheck(pool.translateFault(overrun), 0x50, u(a + 24), 0, 0, 0);
        assertThat(pool.translateFault(new NullPointerException()).code().code()).isEqualTo(0x7E);
    }

    @Test
    void shouldLeaveOtherOwnersOutOfSpecialPool() {
        pool.setSpecialPool(newOwner("Special"), true);
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG);
        assertThat(kindOf(a)).isEqualTo(PoolChunk.class);
        pool.setSpecialPool(driver, true);
        int b = ex.ExAllocatePoolWithTag(NonPagedPool, 100, TAG);
        assertThat(kindOf(b)).isEqualTo(SpecialChunk.class);
        pool.setSpecialPool(driver, false);
        ex.ExFreePoolWithTag(b, TAG);
        assertThatThrownBy(() -> memory.resolve(b)).isInstanceOf(BugCheck.class);
    }

    @Test
    void shouldServeATagFromSpecialPoolWhoeverAllocatesIt() {
        int wasm = PoolTag.fromDisplay("Wasm");
        int other = PoolTag.fromDisplay("Othr");
        PoolAllocator second = pool.forDriver(newOwner("Second"));
        pool.setSpecialPoolTag("Wasm", true);
        assertThat(pool.specialPoolTags()).containsExactly("Wasm");

        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 100, wasm);
        int b = second.ExAllocatePoolWithTag(PagedPool, 5000, wasm | PoolTag.PROTECTED_POOL);
        int c = ex.ExAllocatePoolWithTag(NonPagedPool, 100, other);
        assertThat(kindOf(a)).isEqualTo(SpecialChunk.class);
        assertThat(kindOf(b)).as("another owner, the paged pool, a protected tag").isEqualTo(SpecialChunk.class);
        assertThat(kindOf(c)).as("another tag").isEqualTo(PoolChunk.class);
        MemorySegment s = memory.resolve(a);
        assertBugCheck(pool.translateFault(catchOutOfBounds(() -> s.get(ValueLayout.JAVA_INT, 100))), 0xD6, u(a + 100), 0, 0, 0);

        pool.setSpecialPoolTag("Wasm", false);
        assertThat(pool.specialPoolTags()).isEmpty();
        int d = ex.ExAllocatePoolWithTag(NonPagedPool, 100, wasm);
        assertThat(kindOf(d)).as("after the tag is switched off").isEqualTo(PoolChunk.class);
        ex.ExFreePoolWithTag(a, wasm); // blocks allocated before stay special until freed
        second.ExFreePoolWithTag(b, wasm | PoolTag.PROTECTED_POOL);
        ex.ExFreePoolWithTag(c, other);
        ex.ExFreePoolWithTag(d, wasm);
        assertThat(pool.bytesInUse()).isZero();
        assertThat(pool.usage()).allSatisfy(u -> assertThat(u.bytesInUse()).isZero());
    }

    @Test
    void shouldMatchTagPatternsWithNtsWildcards() {
        SpecialPoolTags tags = SpecialPoolTags.NONE.with(SpecialPoolTags.parse("Lk*")).with(SpecialPoolTags.parse("D?k"));
        assertThat(tags.matches(PoolTag.fromDisplay("Lkas"))).isTrue();
        assertThat(tags.matches(PoolTag.fromDisplay("Lk"))).isTrue();
        assertThat(tags.matches(PoolTag.fromDisplay("LK12"))).as("case matters, as in a tag").isFalse();
        assertThat(tags.matches(PoolTag.fromDisplay("Ddk"))).as("padded with a NUL").isTrue();
        assertThat(tags.matches(PoolTag.fromDisplay("Dxk "))).as("padded with a space").isTrue();
        assertThat(tags.matches(PoolTag.fromDisplay("Ddkx"))).as("a fourth character the pattern does not have").isFalse();
        assertThat(tags.matches(PoolTag.fromDisplay("Wasm"))).isFalse();
        assertThat(SpecialPoolTags.NONE.with(SpecialPoolTags.parse("*")).matches(PoolTag.fromDisplay("Wasm"))).isTrue();
        assertThat(SpecialPoolTags.NONE.with(SpecialPoolTags.parse("????")).matches(PoolTag.NONE)).isTrue();
        assertThat(tags.without(SpecialPoolTags.parse("Lk*")).texts()).containsExactly("D?k");
        assertThat(tags.with(SpecialPoolTags.parse("Lk*")).texts()).as("set once").containsExactly("Lk*", "D?k");
    }

    @Test
    void shouldRefuseABadTagPatternAndKeepTheOthers() {
        pool.setSpecialPoolTag("Lk*", true);
        assertThatThrownBy(() -> pool.setSpecialPoolTag("", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one to four characters");
        assertThatThrownBy(() -> pool.setSpecialPoolTag("Wasm1", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Wasm1'");
        assertThatThrownBy(() -> pool.setSpecialPoolTag("W\u00e4s", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("character 2 (U+00E4) is not printable ASCII");
        assertThatThrownBy(() -> pool.setSpecialPoolTag(null, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.specialPoolTags()).containsExactly("Lk*");
        int a = ex.ExAllocatePoolWithTag(NonPagedPool, 64, PoolTag.fromDisplay("Lkas"));
        assertThat(kindOf(a)).isEqualTo(SpecialChunk.class);
        ex.ExFreePool(a);
    }

    /** The kind of chunk the live block at {@code address} is in: a special-pool block's, or a pool chunk's (these tests' blocks are small). */
    private Class<? extends Chunk> kindOf(int address) {
        return pool.engine().blocks.find(address).chunk().getClass();
    }
}
