package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AddressSpace}'s way back from a native address to a system address, on native ranges made up for the test
 * (none of this touches memory, so the ranges need no mapping): ranges registered out of native order, two of them
 * adjacent, the first and last byte of each, a segment that runs past its range, a range removed; and special
 * blocks, whose end is theirs too.
 */
class AddressSpaceRangesTest {

    private static final long MIB = 1 << 20;

    /** Native bases: b directly after a, c below both, d above. Registered as a, c, d, b. */
    private static final long A = 0x7000_0000_0000L;
    private static final long B = A + MIB;
    private static final long C = 0x6000_0000_0000L;
    private static final long D = 0x7F00_0000_0000L;

    private AddressSpace space;
    private HugeChunk a;
    private HugeChunk b;
    private HugeChunk c;
    private HugeChunk d;

    /** A range at {@code nativeBase} for system addresses from {@code systemBase}, with no memory behind it. */
    private static HugeChunk range(int systemBase, long nativeBase, long bytes) {
        return new HugeChunk(systemBase, null, 0, 1, null, MemorySegment.ofAddress(nativeBase).reinterpret(bytes));
    }

    private static MemorySegment at(long nativeAddress, long bytes) {
        return MemorySegment.ofAddress(nativeAddress).reinterpret(bytes);
    }

    @BeforeEach
    void setUp() {
        space = new AddressSpace(20);
        a = range(0x8010_0000, A, MIB);
        b = range(0x8030_0000, B, MIB);
        c = range(0x8050_0000, C, 4 * MIB);
        d = range(0x8090_0000, D, 2 * MIB);
        for (HugeChunk r : new HugeChunk[] {a, c, d, b}) {
            space.addRange(r, r.segment);
        }
    }

    @Test
    void findsEveryRangesFirstMiddleAndLastByteWhateverOrderTheyWereAddedIn() {
        for (HugeChunk r : new HugeChunk[] {a, b, c, d}) {
            long size = r.segment.byteSize();
            assertThat(space.systemAddressOfNative(r.nativeBase)).isEqualTo(Integer.toUnsignedLong(r.base));
            assertThat(space.systemAddressOfNative(r.nativeBase + size / 2)).isEqualTo(Integer.toUnsignedLong(r.base) + size / 2);
            assertThat(space.systemAddressOfNative(r.nativeBase + size - 1)).isEqualTo(Integer.toUnsignedLong(r.base) + size - 1);
        }
    }

    @Test
    void theFirstByteAfterARangeIsTheNextRangesNotItsOwn() {
        assertThat(space.systemAddressOfNative(A + MIB)).as("a's end is b's first byte").isEqualTo(0x8030_0000L);
        assertThat(space.systemAddressOfNative(D + 2 * MIB)).as("past the highest range").isEqualTo(-1L);
        assertThat(space.systemAddressOfNative(C - 1)).as("below the lowest range").isEqualTo(-1L);
        assertThat(space.systemAddressOfNative(C + 4 * MIB)).as("between c and a").isEqualTo(-1L);
    }

    @Test
    void mapsSegmentsBackAlternatingBetweenRanges() {
        for (int round = 0; round < 2; round++) {
            assertThat(space.addressOf(a.segment)).as("the whole of a, to its last byte").isEqualTo(a.base);
            assertThat(space.addressOf(c.segment)).isEqualTo(c.base);
            assertThat(space.addressOf(at(B, 16))).isEqualTo(b.base);
            assertThat(space.addressOf(at(A + MIB - 16, 16))).isEqualTo(a.base + (int) MIB - 16);
            assertThat(space.addressOf(d.segment)).isEqualTo(d.base);
            assertThat(space.addressOf(at(B + 100, 8))).isEqualTo(b.base + 100);
        }
    }

    @Test
    void aSegmentRunningPastItsRangeBelongsToNoRangeEvenIntoAnAdjacentOne() {
        assertThat(space.addressOf(at(A + 8, 16))).isEqualTo(a.base + 8); // a in the cache
        assertThatThrownBy(() -> space.addressOf(at(A + MIB - 8, 16))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to this address space");
        assertThatThrownBy(() -> space.addressOf(at(C + 4 * MIB - 8, 16))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRemovedRangeIsGoneAndTheOthersStay() {
        assertThat(space.addressOf(at(A, 8))).isEqualTo(a.base); // a in the cache
        space.removeRange(a);
        assertThat(space.systemAddressOfNative(A)).isEqualTo(-1L);
        assertThatThrownBy(() -> space.addressOf(at(A, 8))).isInstanceOf(IllegalArgumentException.class);
        for (HugeChunk r : new HugeChunk[] {b, c, d}) {
            assertThat(space.addressOf(r.segment)).isEqualTo(r.base);
        }
    }

    @Test
    void aSpecialBlocksBytesAndItsEndMapToItsSystemAddresses() {
        long x = 0x5000_0000_0000L;
        SpecialBlock s = new SpecialBlock(null, 0x8120_0F38, 0, 2, null, at(x, 200));
        space.addSpecial(s);
        assertThat(space.systemAddressOfNative(x)).isEqualTo(0x8120_0F38L);
        assertThat(space.systemAddressOfNative(x + 8)).isEqualTo(0x8120_0F40L);
        assertThat(space.systemAddressOfNative(x + 200)).as("the end, where an overrun faults").isEqualTo(0x8120_1000L);
        assertThat(space.systemAddressOfNative(x + 201)).isEqualTo(-1L);
        assertThat(space.specialAtNative(x + 200)).isSameAs(s);
        assertThat(space.specialAtNative(x + 201)).isNull();
        assertThat(space.addressOf(at(x + 8, 192))).isEqualTo(0x8120_0F40);
        assertThatThrownBy(() -> space.addressOf(at(x + 8, 193))).isInstanceOf(IllegalArgumentException.class);
        space.removeSpecial(s);
        assertThat(space.systemAddressOfNative(x + 8)).isEqualTo(-1L);
    }
}
