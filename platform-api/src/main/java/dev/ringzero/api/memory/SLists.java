package dev.ringzero.api.memory;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import java.lang.foreign.MemorySegment;

/**
 * Interlocked sequenced singly linked lists ({@code SLIST_HEADER}), x86 NT's lock-free LIFO.
 *
 * <h2>Algorithm</h2>
 * The header is one 64-bit word in memory (see {@link NtLayouts#SLIST_HEADER}), packed and unpacked by
 * {@link SListHeader} alone: {@code Next} (bits 0-31, the first entry's address), {@code Depth} (32-47,
 * entries on the list) and {@code Sequence} (48-63). Every operation reads the word, computes the new one and replaces it with a
 * single compare-and-set, so there is no lock and no Java object per push or pop. The list is
 * intrusive: an entry's first four bytes are its link while it is on the list.
 * <ul>
 *   <li>push: {@code entry.Next = Next; Next = entry; Depth += 1; Sequence += 1}; returns the old first entry;</li>
 *   <li>pop: {@code Next = Next.Next; Depth -= 1} (Sequence unchanged); returns the entry, left unmodified;</li>
 *   <li>flush: {@code Next = NULL; Depth = 0} (Sequence kept, the x86 rule); returns the old chain.</li>
 * </ul>
 * <b>ABA.</b> A pop reads {@code Next = A} and {@code A.Next = B}. If, before its CAS, A is popped, B
 * popped and A pushed back, {@code Next} is A again — but the push advanced {@code Sequence}, so the
 * stale CAS fails and the pop retries. Every ABA cycle contains a push, so pops need not bump it.
 * The read of {@code A.Next} may see a freed or reused entry; that read is a
 * {@link SystemMemory#peekInt racy peek}, harmless because the CAS then fails (NT resumes its pop
 * after the page fault the same way). Depth is 16 bits and wraps at 65 536: emptiness is decided by
 * {@code Next}, never by {@code Depth}.
 *
 * <h2>Memory ordering</h2>
 * The header is read with {@code getVolatile} and replaced with {@code compareAndSet} (volatile
 * semantics). The plain write of {@code entry.Next} in a push happens before the CAS that publishes the
 * entry, so a popper that reads the header and then the link sees it.
 */
public final class SLists {

    private final SystemMemory memory;

    public SLists(SystemMemory memory) {
        this.memory = memory;
    }

    /**
     * {@code InitializeSListHead}: an empty list, {@code Sequence} 0. Any IRQL.
     *
     * @throws NtStatusException {@code STATUS_DATATYPE_MISALIGNMENT} when the header is not 8-byte
     *                           aligned (our CAS needs it; ReactOS raises the same on x64)
     */
    public void InitializeSListHead(int header) {
        SListHeader.write(header(header), 0L);
    }

    /** {@code InterlockedPushEntrySList}: pushes {@code entry}, returns the previous first entry or NULL. */
    public int InterlockedPushEntrySList(int header, int entry) {
        return push(header(header), entry);
    }

    /** {@code InterlockedPopEntrySList}: the first entry, or {@code 0} (NULL) when empty. */
    public int InterlockedPopEntrySList(int header) {
        return pop(header(header));
    }

    /** {@code InterlockedFlushSList}: empties the list, returns the old chain (NULL if it was empty). */
    public int InterlockedFlushSList(int header) {
        return flush(header(header));
    }

    /** {@code QueryDepthSList} / {@code ExQueryDepthSList}: {@code Depth}, modulo 65 536. */
    public int QueryDepthSList(int header) {
        return depth(header(header));
    }

    /**
     * {@code InterlockedPushListSList}: pushes the chain {@code first..last} of {@code count} entries
     * (already linked through their {@code Next}) in one CAS; returns the previous first entry.
     */
    public int InterlockedPushListSList(int header, int first, int last, int count) {
        return SListHeader.pushChain(header(header), memory, first, last, count);
    }

    // ---- the operations on a header segment the caller already holds (lookaside lists keep theirs)

    /** Push onto the header at {@code header} (an 8-byte aligned segment); see {@link #InterlockedPushEntrySList}. */
    public int push(MemorySegment header, int entry) {
        return SListHeader.pushChain(header, memory, entry, entry, 1);
    }

    /** Pop from the header segment; see {@link #InterlockedPopEntrySList}. */
    public int pop(MemorySegment header) {
        while (true) {
            long old = SListHeader.read(header);
            int first = SListHeader.next(old);
            if (first == 0) {
                return 0;
            }
            int next = memory.peekInt(first); // racy: validated by the CAS below
            if (SListHeader.replace(header, old, SListHeader.popped(old, next, 1))) {
                return first;
            }
        }
    }

    /** Flush the header segment; see {@link #InterlockedFlushSList}. */
    public int flush(MemorySegment header) {
        while (true) {
            long old = SListHeader.read(header);
            if (SListHeader.next(old) == 0) {
                return 0;
            }
            if (SListHeader.replace(header, old, SListHeader.flushed(old))) {
                return SListHeader.next(old);
            }
        }
    }

    /** {@code Depth} of the header segment. */
    public static int depth(MemorySegment header) {
        return SListHeader.depth(SListHeader.read(header));
    }

    /** {@code Sequence} of the header segment. */
    public static int sequence(MemorySegment header) {
        return SListHeader.sequence(SListHeader.read(header));
    }

    /** {@code Next} (the first entry) of the header segment. */
    public static int first(MemorySegment header) {
        return SListHeader.next(SListHeader.read(header));
    }

    private MemorySegment header(int header) {
        if ((header & 7) != 0) {
            throw new NtStatusException(NtStatus.STATUS_DATATYPE_MISALIGNMENT,
                    String.format("SLIST_HEADER at %08X is not 8-byte aligned", header));
        }
        return memory.resolve(header, NtLayouts.SLIST_HEADER.byteSize());
    }
}
