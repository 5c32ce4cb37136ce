package dev.ringzero.pool;

import static dev.ringzero.api.memory.NtLayouts.CONTAINING_RECORD;
import static dev.ringzero.api.memory.NtLayouts.FIELD_OFFSET;
import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Irql;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolTag;
import java.lang.foreign.StructLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code LIST_ENTRY} and {@code SINGLE_LIST_ENTRY} routines over the real address space: ReactOS's
 * {@code ExDoubleList} and {@code ExSingleList} tables, adapted to the non-interlocked routines.
 */
class ListEntryTest extends PoolFixture {

    /** The tutorial's SOME_STRUCTURE: a field, then the LIST_ENTRY, then another field. */
    static final StructLayout SOME_STRUCTURE = structLayout(
            JAVA_INT.withName("SomeField"),
            NtLayouts.LIST_ENTRY.withName("ListEntry"),
            JAVA_INT.withName("OtherField")).withName("SOME_STRUCTURE");

    private static final int TAG = PoolTag.of("tsiL");
    private static final int LIST_ENTRY = (int) FIELD_OFFSET(SOME_STRUCTURE, "ListEntry");

    private Lists lists;
    private int head;
    private int e0;
    private int e1;
    private int e2;

    @BeforeEach
    void entries() {
        lists = new Lists(memory);
        head = ex.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.LIST_ENTRY.byteSize(), TAG);
        e0 = entry();
        e1 = entry();
        e2 = entry();
    }

    private int entry() {
        return ex.ExAllocatePoolWithTag(NonPagedPool, SOME_STRUCTURE.byteSize(), TAG) + LIST_ENTRY;
    }

    private void assertLinks(int entry, int flink, int blink) {
        assertThat(lists.flink(entry)).as("Flink of %08X", entry).isEqualTo(flink);
        assertThat(lists.blink(entry)).as("Blink of %08X", entry).isEqualTo(blink);
    }

    @Test
    void shouldFollowReactOsDoubleListTableWithTheInlineRoutines() {
        lists.InitializeListHead(head);
        assertLinks(head, head, head);
        assertThat(lists.IsListEmpty(head)).isTrue();

        lists.InsertHeadList(head, e0);
        assertLinks(head, e0, e0);
        assertLinks(e0, head, head);

        assertThat(lists.RemoveHeadList(head)).isEqualTo(e0);
        assertLinks(head, head, head);
        assertLinks(e0, head, head); // the removed entry's links are left as they were

        assertThat(lists.RemoveHeadList(head)).as("an empty list returns its head").isEqualTo(head);
        assertLinks(head, head, head);

        lists.InsertTailList(head, e0);
        assertLinks(head, e0, e0);
        lists.InsertHeadList(head, e1);
        lists.InsertTailList(head, e2);
        // head -> E1 -> E0 -> E2 -> head
        assertLinks(head, e1, e2);
        assertLinks(e1, e0, head);
        assertLinks(e0, e2, e1);
        assertLinks(e2, head, e0);
        assertThat(Irql.KeGetCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);

        assertThat(lists.RemoveTailList(head)).isEqualTo(e2);
        assertThat(lists.RemoveEntryList(e1)).as("one entry left").isFalse();
        assertThat(lists.RemoveEntryList(e0)).as("now empty").isTrue();
        assertThat(lists.IsListEmpty(head)).isTrue();
        assertThat(lists.RemoveTailList(head)).isEqualTo(head);
    }

    @Test
    void shouldFindTheRecordOfAnEntryWithContainingRecord() {
        lists.InitializeListHead(head);
        int record = CONTAINING_RECORD(e1, SOME_STRUCTURE, "ListEntry");
        memory.writeInt(record + (int) FIELD_OFFSET(SOME_STRUCTURE, "SomeField"), 0x5A5A);
        lists.InsertTailList(head, e1);
        int first = CONTAINING_RECORD(lists.RemoveHeadList(head), SOME_STRUCTURE, "ListEntry");
        assertThat(first).isEqualTo(record);
        assertThat(memory.readInt(first)).isEqualTo(0x5A5A);
    }

    @Test
    void shouldAppendAHeadlessChainAtTheTail() {
        int other = ex.ExAllocatePoolWithTag(NonPagedPool, 8, TAG);
        lists.InitializeListHead(head);
        lists.InsertTailList(head, e0);
        lists.InitializeListHead(other);
        lists.InsertTailList(other, e1);
        lists.InsertTailList(other, e2);
        int chain = lists.flink(other);
        lists.RemoveEntryList(other); // leaves e1 <-> e2 as a headless circular chain
        lists.AppendTailList(head, chain);
        assertLinks(head, e0, e2);
        assertLinks(e0, e1, head);
        assertLinks(e1, e2, e0);
        assertLinks(e2, head, e1);
    }

    @Test
    void shouldFollowReactOsSingleListTable() {
        int sHead = ex.ExAllocatePoolWithTag(NonPagedPool, 4, TAG);
        int s0 = ex.ExAllocatePoolWithTag(NonPagedPool, 4, TAG);
        int s1 = ex.ExAllocatePoolWithTag(NonPagedPool, 4, TAG);
        int s2 = ex.ExAllocatePoolWithTag(NonPagedPool, 4, TAG);
        memory.writeInt(sHead, 0);
        assertThat(flush(sHead)).isZero();
        assertThat(lists.PopEntryList(sHead)).isZero();
        lists.PushEntryList(sHead, s0);
        assertThat(memory.readInt(sHead)).isEqualTo(s0);
        assertThat(memory.readInt(s0)).isZero();
        lists.PushEntryList(sHead, s1);
        assertThat(memory.readInt(s1)).isEqualTo(s0);
        assertThat(depth(sHead)).isEqualTo(2);
        assertThat(lists.PopEntryList(sHead)).isEqualTo(s1);
        assertThat(memory.readInt(s1)).as("popped entries are left unmodified").isEqualTo(s0);
        assertThat(lists.PopEntryList(sHead)).isEqualTo(s0);
        assertThat(lists.PopEntryList(sHead)).isZero();
        lists.PushEntryList(sHead, s0);
        lists.PushEntryList(sHead, s1);
        assertThat(lists.PopEntryList(sHead)).isEqualTo(s1);
        lists.PushEntryList(sHead, s1);
        lists.PushEntryList(sHead, s2);
        assertThat(memory.readInt(s2)).isEqualTo(s1);
        assertThat(memory.readInt(s1)).isEqualTo(s0);
        assertThat(memory.readInt(s0)).isZero();
        assertThat(depth(sHead)).isEqualTo(3);
        assertThat(flush(sHead)).isEqualTo(s2);
        assertThat(depth(sHead)).isZero();
    }

    private int flush(int sHead) {
        int old = memory.readInt(sHead);
        memory.writeInt(sHead, 0);
        return old;
    }

    private int depth(int sHead) {
        int n = 0;
        for (int e = memory.readInt(sHead); e != 0; e = memory.readInt(e)) {
            n++;
        }
        return n;
    }

    @Test
    void shouldBugCheck139WithCode3OnACorruptedEntry() {
        lists.InitializeListHead(head);
        lists.InsertTailList(head, e0);
        lists.InsertTailList(head, e1);
        memory.writeInt(e1 + (int) FIELD_OFFSET(NtLayouts.LIST_ENTRY, "Blink"), e2); // a wild write
        assertBugCheck(bugCheck(() -> lists.RemoveEntryList(e1)), 0x139, 3, 0, 0, 0);
    }

    @Test
    void shouldBugCheck139OnADoubleRemoveAfterTheNeighboursChanged() {
        lists.InitializeListHead(head);
        lists.InsertTailList(head, e0);
        lists.InsertTailList(head, e1);
        lists.InsertTailList(head, e2);
        lists.RemoveEntryList(e1);
        lists.RemoveEntryList(e0);
        assertBugCheck(bugCheck(() -> lists.RemoveEntryList(e1)), 0x139, 3, 0, 0, 0);
    }

    @Test
    void shouldBugCheck50WhenALinkPointsIntoNoLiveBlock() {
        lists.InitializeListHead(head);
        lists.InsertTailList(head, e0);
        int freed = CONTAINING_RECORD(e0, SOME_STRUCTURE, "ListEntry");
        ex.ExFreePoolWithTag(freed, TAG);
        assertBugCheck(bugCheck(() -> lists.RemoveHeadList(head)), 0x50, u(e0), 0, 0, 0);
        assertBugCheck(bugCheck(() -> lists.InitializeListHead(0x9000_0000)), 0x50, 0x9000_0000L, 1, 0, 0);
    }
}
