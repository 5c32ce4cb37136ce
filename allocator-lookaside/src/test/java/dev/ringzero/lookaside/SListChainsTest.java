package dev.ringzero.lookaside;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.SListChains;
import dev.ringzero.tck.TestExecutivePool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SListChains}' batch operations, word for word: x86 NT's {@code SLIST_HEADER} is {@code Next} (bits 0-31),
 * {@code Depth} (32-47) and {@code Sequence} (48-63), and every push advances {@code Sequence} (the ABA guard the
 * multi-entry pop relies on), 16 bits wide, wrapping without spilling into the field above.
 */
class SListChainsTest {

    static final int TAG = PoolTag.of("hcLS");

    TestExecutivePool executive;
    PoolAllocator pool;
    SystemMemory memory;
    MemorySegment header;

    @BeforeEach
    void setUp() {
        executive = new TestExecutivePool();
        pool = executive.forDriver(new Owner("Chains", 2));
        memory = executive.memory();
        int h = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.GENERAL_LOOKASIDE.byteSize(), TAG);
        header = memory.resolve(h, NtLayouts.GENERAL_LOOKASIDE.byteSize());
    }

    @AfterEach
    void tearDown() {
        executive.close();
    }

    static long word(int next, int depth, int sequence) {
        return Integer.toUnsignedLong(next) | (long) depth << 32 | (long) sequence << 48;
    }

    long word() {
        return header.get(ValueLayout.JAVA_LONG, 0);
    }

    /** The header word, compared in hex so that a failure shows which field (Sequence|Depth|Next) is off. */
    void assertWord(long expected) {
        assertThat(String.format("%04X|%04X|%08X", word() >>> 48, (word() >>> 32) & 0xFFFF, word() & 0xFFFF_FFFFL))
                .as("Sequence|Depth|Next").isEqualTo(String.format("%04X|%04X|%08X", expected >>> 48,
                        (expected >>> 32) & 0xFFFF, expected & 0xFFFF_FFFFL));
    }

    void setWord(long w) {
        header.set(ValueLayout.JAVA_LONG, 0, w);
    }

    int entry() {
        return pool.ExAllocatePoolWithTag(NonPagedPool, 16, TAG);
    }

    @Test
    void pushChainLinksTheLastEntryToTheOldHeadAndAddsTheCountToDepthAndOneToSequence() {
        int old = entry();
        int first = entry();
        int middle = entry();
        int last = entry();
        memory.writeInt(old, 0);
        memory.writeInt(first, middle);
        memory.writeInt(middle, last);
        memory.writeInt(last, 0xDEAD_BEEF); // overwritten: the chain's last link is the push's to write
        setWord(word(old, 1, 0x1234));

        SListChains.pushChain(header, memory, first, last, 3);

        assertWord(word(first, 4, 0x1235));
        assertThat(memory.readInt(last)).isEqualTo(old);
        assertThat(memory.readInt(first)).isEqualTo(middle);
    }

    @Test
    void pushChainWrapsDepthAndSequenceAt16BitsEach() {
        int first = entry();
        int last = entry();
        memory.writeInt(first, last);
        setWord(word(0, 0xFFFE, 0xFFFF));

        SListChains.pushChain(header, memory, first, last, 3);

        assertWord(word(first, 1, 0)); // 0xFFFE + 3 = 0x10001: Depth 1, Sequence not disturbed
        assertThat(memory.readInt(last)).isZero();
    }

    @Test
    void pushChainBelowDepthPushesAChainThatEndsExactlyAtTheLimit() {
        int old = entry();
        int first = entry();
        int last = entry();
        memory.writeInt(first, last);
        setWord(word(old, 1, 7));

        assertThat(SListChains.pushChainBelowDepth(header, memory, first, last, 2, 3)).isTrue();

        assertWord(word(first, 3, 8));
        assertThat(memory.readInt(last)).isEqualTo(old);
    }

    @Test
    void pushChainBelowDepthRefusesAChainThatWouldPassTheLimitAndWritesNothing() {
        int old = entry();
        int first = entry();
        int last = entry();
        memory.writeInt(first, last);
        memory.writeInt(last, 0x1234_5678);
        setWord(word(old, 2, 7));

        assertThat(SListChains.pushChainBelowDepth(header, memory, first, last, 2, 3)).isFalse();

        assertWord(word(old, 2, 7));
        assertThat(memory.readInt(last)).as("the last link is written only for a push that happens").isEqualTo(0x1234_5678);
    }

    @Test
    void pushBelowDepthPushesOneEntryAdvancingDepthAndSequence() {
        int old = entry();
        int e = entry();
        setWord(word(old, 2, 0x00F0));

        assertThat(SListChains.pushBelowDepth(header, memory, e, 3)).isTrue();

        assertWord(word(e, 3, 0x00F1));
        assertThat(memory.readInt(e)).isEqualTo(old);
    }

    @Test
    void pushBelowDepthWrapsSequenceAt16Bits() {
        int e = entry();
        setWord(word(0, 0, 0xFFFF));

        assertThat(SListChains.pushBelowDepth(header, memory, e, 4)).isTrue();

        assertWord(word(e, 1, 0));
    }

    @Test
    void pushBelowDepthLeavesAListAtItsLimitAlone() {
        int old = entry();
        int e = entry();
        memory.writeInt(e, 0x5A5A_5A5A);
        setWord(word(old, 3, 7));

        assertThat(SListChains.pushBelowDepth(header, memory, e, 3)).isFalse();

        assertWord(word(old, 3, 7));
        assertThat(memory.readInt(e)).as("the entry's link is not written").isEqualTo(0x5A5A_5A5A);
    }

    @Test
    void popChainTakesUpToMaxEntriesFromTheHeadKeepingSequence() {
        int[] e = {entry(), entry(), entry()};
        memory.writeInt(e[0], e[1]);
        memory.writeInt(e[1], e[2]);
        memory.writeInt(e[2], 0);
        setWord(word(e[0], 3, 0x0ABC));
        int[] out = new int[4];

        assertThat(SListChains.popChain(header, memory, out, 2)).isEqualTo(2);
        assertThat(out).startsWith(e[0], e[1]);
        assertWord(word(e[2], 1, 0x0ABC));

        assertThat(SListChains.popChain(header, memory, out, 4)).as("fewer entries than max: all of them").isEqualTo(1);
        assertThat(out[0]).isEqualTo(e[2]);
        assertWord(word(0, 0, 0x0ABC));
        assertThat(memory.readInt(e[0])).as("the links are left as they were").isEqualTo(e[1]);
    }

    @Test
    void popChainOfAnEmptyListTakesNothingAndWritesNothing() {
        setWord(word(0, 0, 0x0042));
        int[] out = {-1};

        assertThat(SListChains.popChain(header, memory, out, 8)).isZero();

        assertThat(out[0]).isEqualTo(-1);
        assertWord(word(0, 0, 0x0042));
    }

    @Test
    void popChainWrapsDepthAt16BitsWithoutBorrowingFromSequence() {
        int a = entry();
        memory.writeInt(a, 0);
        setWord(word(a, 0, 0x0009)); // Depth already 0: a header some racing code left inconsistent

        assertThat(SListChains.popChain(header, memory, new int[1], 1)).isEqualTo(1);

        assertWord(word(0, 0xFFFF, 0x0009));
    }
}
