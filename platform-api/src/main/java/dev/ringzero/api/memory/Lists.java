package dev.ringzero.api.memory;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;

/**
 * {@code LIST_ENTRY} and {@code SINGLE_LIST_ENTRY} routines over the system address space, as the WDK's
 * inline functions define them. Entries and heads are system addresses of {@link NtLayouts#LIST_ENTRY}
 * / {@link NtLayouts#SINGLE_LIST_ENTRY} structures, usually embedded in a larger structure and found
 * again with {@link NtLayouts#CONTAINING_RECORD}.
 *
 * <p>The doubly linked routines make the checks current Windows builds make in free builds: a
 * neighbour whose back link does not point where it must means the list is corrupt (a double remove,
 * a stale entry, a wild write), and the routine fails fast with bug check
 * {@code KERNEL_SECURITY_CHECK_FAILURE} (0x139), Parameter1 = 3 ({@code FAST_FAIL_CORRUPT_LIST_ENTRY}).
 * Following a link to an address in no live block is bug check 0x50.
 *
 * <p>Not synchronized: like NT's, these routines need the caller's lock. Any IRQL the memory allows.
 *
 * {@snippet :
 * Lists lists = driverObject.service(Lists.class);
 * lists.InitializeListHead(head);
 * lists.InsertHeadList(head, entry + (int) NtLayouts.FIELD_OFFSET(SOME_STRUCTURE, "ListEntry"));
 * int first = NtLayouts.CONTAINING_RECORD(lists.RemoveHeadList(head), SOME_STRUCTURE, "ListEntry");
 * }
 */
public final class Lists {

    /** {@code FAST_FAIL_CORRUPT_LIST_ENTRY}. */
    public static final int FAST_FAIL_CORRUPT_LIST_ENTRY = 3;

    private static final int FLINK = (int) NtLayouts.FIELD_OFFSET(NtLayouts.LIST_ENTRY, "Flink");
    private static final int BLINK = (int) NtLayouts.FIELD_OFFSET(NtLayouts.LIST_ENTRY, "Blink");
    private static final int NEXT = (int) NtLayouts.FIELD_OFFSET(NtLayouts.SINGLE_LIST_ENTRY, "Next");

    private final SystemMemory memory;

    public Lists(SystemMemory memory) {
        this.memory = memory;
    }

    /** {@code InitializeListHead}: {@code Flink = Blink = head}. */
    public void InitializeListHead(int head) {
        memory.writeInt(head + FLINK, head);
        memory.writeInt(head + BLINK, head);
    }

    /** {@code IsListEmpty}: {@code head.Flink == head}. */
    public boolean IsListEmpty(int head) {
        return flink(head) == head;
    }

    /** {@code InsertHeadList}. Fails fast if {@code head.Flink.Blink != head}. */
    public void InsertHeadList(int head, int entry) {
        int next = flink(head);
        if (blink(next) != head) {
            corrupt("InsertHeadList", head, next, "head.Flink.Blink != head");
        }
        memory.writeInt(entry + FLINK, next);
        memory.writeInt(entry + BLINK, head);
        memory.writeInt(next + BLINK, entry);
        memory.writeInt(head + FLINK, entry);
    }

    /** {@code InsertTailList}. Fails fast if {@code head.Blink.Flink != head}. */
    public void InsertTailList(int head, int entry) {
        int prev = blink(head);
        if (flink(prev) != head) {
            corrupt("InsertTailList", head, prev, "head.Blink.Flink != head");
        }
        memory.writeInt(entry + FLINK, head);
        memory.writeInt(entry + BLINK, prev);
        memory.writeInt(prev + FLINK, entry);
        memory.writeInt(head + BLINK, entry);
    }

    /**
     * {@code RemoveEntryList}: unlinks {@code entry}.
     *
     * @return {@code true} iff the list is now empty
     */
    public boolean RemoveEntryList(int entry) {
        int next = flink(entry);
        int prev = blink(entry);
        if (blink(next) != entry || flink(prev) != entry) {
            corrupt("RemoveEntryList", entry, next, "entry.Flink.Blink != entry or entry.Blink.Flink != entry");
        }
        memory.writeInt(prev + FLINK, next);
        memory.writeInt(next + BLINK, prev);
        return next == prev;
    }

    /**
     * {@code RemoveHeadList}: unlinks and returns the first entry. On an empty list it returns
     * {@code head} itself and changes nothing, as Windows' free builds do.
     */
    public int RemoveHeadList(int head) {
        int entry = flink(head);
        int next = flink(entry);
        if (blink(entry) != head || blink(next) != entry) {
            corrupt("RemoveHeadList", head, entry, "head.Flink.Blink != head or head.Flink.Flink.Blink != head.Flink");
        }
        memory.writeInt(head + FLINK, next);
        memory.writeInt(next + BLINK, head);
        return entry;
    }

    /** {@code RemoveTailList}: unlinks and returns the last entry ({@code head} on an empty list). */
    public int RemoveTailList(int head) {
        int entry = blink(head);
        int prev = blink(entry);
        if (flink(entry) != head || flink(prev) != entry) {
            corrupt("RemoveTailList", head, entry, "head.Blink.Flink != head or head.Blink.Blink.Flink != head.Blink");
        }
        memory.writeInt(head + BLINK, prev);
        memory.writeInt(prev + FLINK, head);
        return entry;
    }

    /**
     * {@code AppendTailList}: splices the headless circular chain whose first entry is
     * {@code listToAppend} onto the end of {@code head}'s list. Both are checked first.
     */
    public void AppendTailList(int head, int listToAppend) {
        checkListEntry("AppendTailList", head);
        checkListEntry("AppendTailList", listToAppend);
        int end = blink(head);
        int appendedLast = blink(listToAppend);
        memory.writeInt(end + FLINK, listToAppend);
        memory.writeInt(head + BLINK, appendedLast);
        memory.writeInt(appendedLast + FLINK, head);
        memory.writeInt(listToAppend + BLINK, end);
    }

    /** {@code PushEntryList}: {@code entry.Next = head.Next; head.Next = entry}. */
    public void PushEntryList(int head, int entry) {
        memory.writeInt(entry + NEXT, memory.readInt(head + NEXT));
        memory.writeInt(head + NEXT, entry);
    }

    /** {@code PopEntryList}: the first entry, unlinked, or {@code 0} (NULL) on an empty list. */
    public int PopEntryList(int head) {
        int first = memory.readInt(head + NEXT);
        if (first != 0) {
            memory.writeInt(head + NEXT, memory.readInt(first + NEXT));
        }
        return first;
    }

    /** {@code entry.Flink}. */
    public int flink(int entry) {
        return memory.readInt(entry + FLINK);
    }

    /** {@code entry.Blink}. */
    public int blink(int entry) {
        return memory.readInt(entry + BLINK);
    }

    /** {@code RtlpCheckListEntry}: fails fast unless {@code entry.Flink.Blink == entry && entry.Blink.Flink == entry}. */
    public void checkListEntry(String routine, int entry) {
        if (blink(flink(entry)) != entry || flink(blink(entry)) != entry) {
            corrupt(routine, entry, flink(entry), "entry.Flink.Blink != entry or entry.Blink.Flink != entry");
        }
    }

    private static void corrupt(String routine, int entry, int neighbour, String what) {
        throw new BugCheck(BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE, FAST_FAIL_CORRUPT_LIST_ENTRY, 0, 0, 0,
                String.format("%s: corrupted LIST_ENTRY at %08X (neighbour %08X): %s", routine, entry, neighbour, what));
    }
}
