package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolTag;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every corrupted-list check of the doubly linked routines, one test per condition: the routine fails
 * fast with 0x139 / {@code FAST_FAIL_CORRUPT_LIST_ENTRY}, names itself and the entry, and writes no link
 * before it does (Windows' free builds check first, then link).
 */
class ListCorruptionTest extends PoolFixture {

    private static final int TAG = PoolTag.of("rCsL");
    private static final int FLINK = (int) NtLayouts.FIELD_OFFSET(NtLayouts.LIST_ENTRY, "Flink");
    private static final int BLINK = (int) NtLayouts.FIELD_OFFSET(NtLayouts.LIST_ENTRY, "Blink");

    private Lists lists;
    private int head;
    private int e0;
    private int e1;
    /** Never on the list: the address a wild write leaves in a link. */
    private int stray;

    @BeforeEach
    void headWithTwoEntries() {
        lists = new Lists(memory);
        head = entry();
        e0 = entry();
        e1 = entry();
        stray = entry();
        lists.InitializeListHead(stray);
        lists.InitializeListHead(head);
        lists.InsertTailList(head, e0);
        lists.InsertTailList(head, e1); // head <-> e0 <-> e1 <-> head
    }

    private int entry() {
        return ex.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.LIST_ENTRY.byteSize(), TAG);
    }

    private void wildWrite(int entry, int field, int value) {
        memory.writeInt(entry + field, value);
    }

    /** The links of every entry, to show that the failing routine wrote none. */
    private int[] links() {
        return new int[] {
            lists.flink(head), lists.blink(head), lists.flink(e0), lists.blink(e0),
            lists.flink(e1), lists.blink(e1), lists.flink(stray), lists.blink(stray)};
    }

    private void assertFailsFast(String routine, int entry, ThrowableAssert.ThrowingCallable call) {
        int[] before = links();
        BugCheck b = bugCheck(call);
        assertBugCheck(b, 0x139, Lists.FAST_FAIL_CORRUPT_LIST_ENTRY, 0, 0, 0);
        assertThat(b.detail()).startsWith(String.format("%s: corrupted LIST_ENTRY at %08X", routine, entry));
        assertThat(links()).as("links after the failed %s", routine).containsExactly(before);
    }

    @Test
    void insertHeadListShouldFailFastWhenTheFirstEntryDoesNotPointBackAtTheHead() {
        wildWrite(e0, BLINK, stray);
        assertFailsFast("InsertHeadList", head, () -> lists.InsertHeadList(head, stray));
    }

    @Test
    void insertTailListShouldFailFastWhenTheLastEntryDoesNotPointOnToTheHead() {
        wildWrite(e1, FLINK, stray);
        assertFailsFast("InsertTailList", head, () -> lists.InsertTailList(head, stray));
    }

    @Test
    void removeHeadListShouldFailFastWhenTheFirstEntryDoesNotPointBackAtTheHead() {
        wildWrite(e0, BLINK, stray);
        assertFailsFast("RemoveHeadList", head, () -> lists.RemoveHeadList(head));
    }

    @Test
    void removeHeadListShouldFailFastWhenTheSecondEntryDoesNotPointBackAtTheFirst() {
        wildWrite(e1, BLINK, stray);
        assertFailsFast("RemoveHeadList", head, () -> lists.RemoveHeadList(head));
    }

    @Test
    void removeTailListShouldFailFastWhenTheLastEntryDoesNotPointOnToTheHead() {
        wildWrite(e1, FLINK, stray);
        assertFailsFast("RemoveTailList", head, () -> lists.RemoveTailList(head));
    }

    @Test
    void removeTailListShouldFailFastWhenTheEntryBeforeTheLastDoesNotPointOnToIt() {
        wildWrite(e0, FLINK, stray);
        assertFailsFast("RemoveTailList", head, () -> lists.RemoveTailList(head));
    }

    @Test
    void removeEntryListShouldFailFastWhenTheNextEntryDoesNotPointBack() {
        wildWrite(e1, BLINK, stray);
        assertFailsFast("RemoveEntryList", e0, () -> lists.RemoveEntryList(e0));
    }

    @Test
    void removeEntryListShouldFailFastWhenThePreviousEntryDoesNotPointOn() {
        wildWrite(head, FLINK, stray);
        assertFailsFast("RemoveEntryList", e0, () -> lists.RemoveEntryList(e0));
    }

    @Test
    void appendTailListShouldCheckTheHeadsForwardLink() {
        wildWrite(e0, BLINK, stray); // head.Flink.Blink != head
        assertFailsFast("AppendTailList", head, () -> lists.AppendTailList(head, stray));
    }

    @Test
    void appendTailListShouldCheckTheHeadsBackwardLink() {
        wildWrite(e1, FLINK, stray); // head.Blink.Flink != head
        assertFailsFast("AppendTailList", head, () -> lists.AppendTailList(head, stray));
    }

    @Test
    void appendTailListShouldCheckTheAppendedChainToo() {
        int chain = entry();
        lists.InitializeListHead(chain);
        wildWrite(chain, FLINK, e0); // chain.Flink.Blink is head, not chain
        assertFailsFast("AppendTailList", chain, () -> lists.AppendTailList(head, chain));
        wildWrite(chain, FLINK, stray);
        wildWrite(stray, BLINK, chain); // chain.Flink.Blink == chain again
        wildWrite(chain, BLINK, e1);    // but chain.Blink.Flink is head, not chain
        assertFailsFast("AppendTailList", chain, () -> lists.AppendTailList(head, chain));
    }

    @Test
    void checkListEntryShouldPassAnIntactEntryAndNameTheCallersRoutineOtherwise() {
        lists.checkListEntry("KeRemoveQueueEx", e0);
        lists.checkListEntry("KeRemoveQueueEx", head);
        wildWrite(e1, BLINK, stray);
        assertFailsFast("KeRemoveQueueEx", e0, () -> lists.checkListEntry("KeRemoveQueueEx", e0));
    }
}
