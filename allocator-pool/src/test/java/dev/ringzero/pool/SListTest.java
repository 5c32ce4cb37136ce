package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SLists;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** S-lists over pool memory: ReactOS's 13-step table, Wine's test_slist, and two threads at once. */
class SListTest extends PoolFixture {

    private static final int TAG = PoolTag.of("tsLS");

    private SLists slists;
    private int header;

    @BeforeEach
    void header() {
        slists = new SLists(memory);
        header = ex.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.SLIST_HEADER.byteSize(), TAG);
    }

    private int entry() {
        return ex.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.SINGLE_LIST_ENTRY.byteSize(), TAG);
    }

    private void assertHeader(int next, int depth, int sequence) {
        MemorySegment h = memory.resolve(header, 8);
        assertThat(SLists.first(h)).as("Next").isEqualTo(next);
        assertThat(SLists.depth(h)).as("Depth").isEqualTo(depth);
        assertThat(SLists.sequence(h)).as("Sequence").isEqualTo(sequence);
        assertThat(slists.QueryDepthSList(header)).isEqualTo(depth);
    }

    @Test
    void shouldFollowReactOsThirteenStepTable() {
        int e0 = entry();
        int e1 = entry();
        int e2 = entry();
        slists.InitializeSListHead(header);                                    // 0
        assertHeader(0, 0, 0);
        assertThat(slists.InterlockedFlushSList(header)).isZero();           // 1
        assertHeader(0, 0, 0);
        assertThat(slists.InterlockedPopEntrySList(header)).isZero();        // 2
        assertHeader(0, 0, 0);
        assertThat(slists.InterlockedPushEntrySList(header, e0)).isZero();   // 3
        assertHeader(e0, 1, 1);
        assertThat(memory.readInt(e0)).isZero();
        assertThat(slists.InterlockedPushEntrySList(header, e1)).isEqualTo(e0); // 4
        assertHeader(e1, 2, 2);
        assertThat(memory.readInt(e1)).isEqualTo(e0);
        assertThat(slists.InterlockedPopEntrySList(header)).isEqualTo(e1);  // 5
        assertHeader(e0, 1, 2);
        assertThat(memory.readInt(e1)).as("a popped entry is left unmodified").isEqualTo(e0);
        assertThat(slists.InterlockedPopEntrySList(header)).isEqualTo(e0);  // 6
        assertHeader(0, 0, 2);
        assertThat(memory.readInt(e0)).isZero();
        assertThat(slists.InterlockedPopEntrySList(header)).isZero();        // 7
        assertHeader(0, 0, 2);
        assertThat(slists.InterlockedPushEntrySList(header, e0)).isZero();   // 8
        assertHeader(e0, 1, 3);
        assertThat(slists.InterlockedPushEntrySList(header, e1)).isEqualTo(e0); // 9
        assertHeader(e1, 2, 4);
        assertThat(slists.InterlockedPopEntrySList(header)).isEqualTo(e1);  // 10
        assertHeader(e0, 1, 4);
        assertThat(slists.InterlockedPushEntrySList(header, e1)).isEqualTo(e0); // 11
        assertHeader(e1, 2, 5);
        assertThat(slists.InterlockedPushEntrySList(header, e2)).isEqualTo(e1); // 12
        assertHeader(e2, 3, 6);
        assertThat(memory.readInt(e2)).isEqualTo(e1);
        assertThat(memory.readInt(e1)).isEqualTo(e0);
        assertThat(memory.readInt(e0)).isZero();
        assertThat(slists.InterlockedFlushSList(header)).isEqualTo(e2);     // 13
        assertHeader(0, 0, 6);
    }

    @Test
    void shouldPassWineTestSlist() {
        memory.resolve(header, 8).fill((byte) 0xFF);
        slists.InitializeSListHead(header);
        assertThat(slists.QueryDepthSList(header)).isZero();
        int item1 = entry();
        int item2 = entry();
        int item3 = entry();
        assertThat(slists.InterlockedPushEntrySList(header, item1)).isZero();
        assertThat(slists.QueryDepthSList(header)).isEqualTo(1);
        assertThat(slists.InterlockedPushEntrySList(header, item2)).isEqualTo(item1);
        assertThat(slists.QueryDepthSList(header)).isEqualTo(2);
        assertThat(slists.InterlockedPushEntrySList(header, item3)).isEqualTo(item2);
        assertThat(slists.QueryDepthSList(header)).isEqualTo(3);
        assertThat(slists.InterlockedPopEntrySList(header)).isEqualTo(item3);
        assertThat(slists.QueryDepthSList(header)).isEqualTo(2);
        int chain = slists.InterlockedFlushSList(header);
        assertThat(slists.QueryDepthSList(header)).isZero();
        assertThat(slists.InterlockedPopEntrySList(header)).isZero();
        assertThat(chain).isEqualTo(item2);
        assertThat(memory.readInt(item2)).isEqualTo(item1);
        assertThat(memory.readInt(item1)).isZero();

        int count = 65_536;
        int entries = ex.ExAllocatePoolWithTag(NonPagedPool, count * 8L, TAG);
        for (int i = 0; i < count; i++) {
            slists.InterlockedPushEntrySList(header, entries + i * 8);
        }
        int last = entries + (count - 1) * 8;
        // three pushes before, 65,536 now: Sequence wraps back to 3, Depth to 0; Next is the last entry pushed
        assertHeader(last, 0, 3);
        assertThat(slists.InterlockedPopEntrySList(header)).as("Depth 0 does not mean empty").isEqualTo(last);
        assertHeader(last - 8, 0xFFFF, 3);
        assertThat(slists.InterlockedFlushSList(header)).isEqualTo(last - 8);
        assertHeader(0, 0, 3);
        int n = 0;
        for (int e = last - 8; e != 0; e = memory.readInt(e)) {
            assertThat(e).isEqualTo(entries + (count - 2 - n) * 8);
            n++;
        }
        assertThat(n).as("entries on the flushed chain").isEqualTo(count - 1);
    }

    @Test
    void shouldPushAWholeChainInOneStepWithInterlockedPushListSList() {
        int e0 = entry();
        int c0 = entry();
        int c1 = entry();
        int c2 = entry();
        slists.InitializeSListHead(header);
        slists.InterlockedPushEntrySList(header, e0);
        assertHeader(e0, 1, 1);
        memory.writeInt(c0, c1);
        memory.writeInt(c1, c2);
        memory.writeInt(c2, 0xDEAD_BEE0); // the old first entry replaces whatever the last link held

        assertThat(slists.InterlockedPushListSList(header, c0, c2, 3)).as("the previous first entry").isEqualTo(e0);
        assertHeader(c0, 4, 2); // Depth + count, Sequence + 1 for the whole chain
        assertThat(memory.readInt(c2)).isEqualTo(e0);
        assertThat(slists.InterlockedPopEntrySList(header)).isEqualTo(c0);
        assertThat(slists.InterlockedPopEntrySList(header)).isEqualTo(c1);
        assertThat(slists.InterlockedPopEntrySList(header)).isEqualTo(c2);
        assertThat(slists.InterlockedPopEntrySList(header)).isEqualTo(e0);
        assertHeader(0, 0, 2);

        assertThat(slists.InterlockedPushListSList(header, c0, c0, 1)).as("onto an empty list").isZero();
        assertHeader(c0, 1, 3);
        assertThat(memory.readInt(c0)).isZero();
    }

    @Test
    void shouldWrapTheDepthOfInterlockedPushListSListAt16BitsWithoutTouchingTheSequence() {
        int e0 = entry();
        int c0 = entry();
        slists.InitializeSListHead(header);
        slists.InterlockedPushEntrySList(header, e0);
        assertHeader(e0, 1, 1);
        // a count that takes Depth past 16 bits (the routine trusts the caller's count, as NT's does)
        assertThat(slists.InterlockedPushListSList(header, c0, c0, 0xFFFF)).isEqualTo(e0);
        assertHeader(c0, 0, 2);
    }

    @Test
    void shouldRaiseDatatypeMisalignmentForAHeaderNotOn8Bytes() {
        int block = ex.ExAllocatePoolWithTag(NonPagedPool, 16, TAG);
        assertThatThrownBy(() -> slists.InitializeSListHead(block + 4))
                .isInstanceOfSatisfying(NtStatusException.class,
                        e -> assertThat(e.status()).isEqualTo(NtStatus.STATUS_DATATYPE_MISALIGNMENT));
    }

    @Tag("concurrency") // many threads for seconds: jcstress and surefire run it, mutation testing leaves it out
    @Test
    void shouldNeitherLoseNorDuplicateEntriesWhenTwoThreadsPushAndPop() throws Exception {
        int count = 4096;
        int entries = ex.ExAllocatePoolWithTag(NonPagedPool, count * 16L, TAG);
        slists.InitializeSListHead(header);
        for (int i = 0; i < count; i++) {
            slists.InterlockedPushEntrySList(header, entries + i * 16);
        }
        MemorySegment h = memory.resolve(header, 8);
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            try {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                List<Integer> held = new ArrayList<>();
                for (int i = 0; i < 400_000; i++) {
                    if (held.size() < 64 && random.nextBoolean()) {
                        int e = slists.pop(h);
                        if (e != 0) {
                            held.add(e);
                        }
                    } else if (!held.isEmpty()) {
                        slists.push(h, held.removeLast());
                    }
                }
                for (int e : held) {
                    slists.push(h, e);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread a = Thread.ofPlatform().start(worker);
        Thread b = Thread.ofPlatform().start(worker);
        a.join();
        b.join();
        assertThat(failure.get()).isNull();
        assertThat(slists.QueryDepthSList(header)).isEqualTo(count);
        BitSet seen = new BitSet(count);
        int n = 0;
        for (int e = slists.InterlockedFlushSList(header); e != 0; e = memory.readInt(e)) {
            int index = (e - entries) / 16;
            assertThat(seen.get(index)).as("entry %d seen twice", index).isFalse();
            seen.set(index);
            n++;
            assertThat(n).isLessThanOrEqualTo(count);
        }
        assertThat(seen.cardinality()).isEqualTo(count);
    }
}
