package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.memory.SListHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The {@code SLIST_HEADER} word's codec: Next 0-31 | Depth 32-47 | Sequence 48-63, each field wrapping on its own. */
class SListHeaderTest {

    private static long word(int next, int depth, int sequence) {
        return Integer.toUnsignedLong(next) | ((long) depth << 32) | ((long) sequence << 48);
    }

    @Test
    void shouldReadEachFieldFromItsOwnBits() {
        long w = word(0x8000_1230, 0xFFFE, 0xFFFF);
        assertThat(SListHeader.next(w)).isEqualTo(0x8000_1230);
        assertThat(SListHeader.depth(w)).isEqualTo(0xFFFE);
        assertThat(SListHeader.sequence(w)).isEqualTo(0xFFFF);
        assertThat(SListHeader.depth(word(0, 0, 0xFFFF))).as("Sequence does not leak into Depth").isZero();
    }

    @Test
    void shouldAdvanceSequenceAndDepthOnAPushAndWrapEachAt16Bits() {
        assertThat(SListHeader.pushed(word(0x8000_0010, 2, 7), 0x8000_0020, 3)).isEqualTo(word(0x8000_0020, 5, 8));
        assertThat(SListHeader.pushed(word(0x8000_0010, 0xFFFF, 0xFFFF), 0x8000_0020, 1))
                .as("both wrap, neither carries into the next field").isEqualTo(word(0x8000_0020, 0, 0));
        assertThat(SListHeader.pushed(word(0, 0xFFFE, 1), 0x8000_0020, 4)).isEqualTo(word(0x8000_0020, 2, 2));
    }

    @Test
    void shouldKeepSequenceOnAPopAndAFlush() {
        assertThat(SListHeader.popped(word(0x8000_0020, 5, 8), 0x8000_0010, 2)).isEqualTo(word(0x8000_0010, 3, 8));
        assertThat(SListHeader.popped(word(0x8000_0020, 0, 0xFFFF), 0, 1))
                .as("Depth wraps below 0 (NT's: emptiness is Next's)").isEqualTo(word(0, 0xFFFF, 0xFFFF));
        assertThat(SListHeader.flushed(word(0x8000_0020, 5, 0xABCD))).isEqualTo(word(0, 0, 0xABCD));
    }

    @Test
    void shouldReplaceTheWordOnlyFromTheWordItWasComputedFrom() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8, 8);
            long w = word(0x8000_0010, 1, 1);
            SListHeader.write(header, w);
            assertThat(SListHeader.read(header)).isEqualTo(w);
            long stale = word(0x8000_0010, 1, 0); // what another thread's push replaced
            assertThat(SListHeader.replace(header, stale, 0L)).as("a stale word").isFalse();
            assertThat(SListHeader.read(header)).isEqualTo(w);
            assertThat(SListHeader.replace(header, w, SListHeader.flushed(w))).isTrue();
            assertThat(SListHeader.read(header)).isEqualTo(word(0, 0, 1));
        }
    }
}
