package dev.ringzero.spi.lookaside;

import dev.ringzero.api.memory.SListHeader;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemorySegment;

/**
 * Batch operations on an {@code SLIST_HEADER}, for a {@link LookasideCache} that keeps entries outside the header's S-list (the {@code magazine} lists' depot): move a whole chain
 * of entries onto the list, or take up to {@code max} entries off it, with one compare-and-set on the
 * header word each — where {@link SLists} moves one entry per CAS.
 *
 * <p>The header word is {@link SLists}' (x86 NT: {@code Next} 0-31 | {@code Depth} 32-47 |
 * {@code Sequence} 48-63), read, computed and replaced through its one codec, {@link SListHeader}, so the
 * batch operations linearize with {@code InterlockedPushEntrySList}, {@code InterlockedPopEntrySList} and
 * {@code InterlockedFlushSList} on the same header.
 * <ul>
 *   <li>{@link #pushChain}: {@code RtlInterlockedPushListSList}: {@code last.Next = Next; Next = first;
 *   Depth += count; Sequence += 1} ({@link SListHeader#pushChain}, the API's own); {@link #pushChainBelowDepth}
 *   the same, refused when it would take {@code Depth} above a limit.</li>
 *   <li>{@link #popChain}: reads {@code Next = A}, walks {@code A.Next, ...} up to {@code max} entries with
 *   racy peeks, and CASes {@code Next} to the entry after the last one taken and {@code Depth -= n}
 *   ({@code Sequence} kept, as a single pop keeps it).</li>
 * </ul>
 * <b>Why a multi-entry pop is ABA-safe.</b> The CAS succeeds only if the whole word — {@code Next},
 * {@code Depth} and {@code Sequence} — is what was read. While the word is unchanged no push happened
 * (every push advances {@code Sequence}), so no entry was put back; and entries can leave the list only
 * from its head, which would have changed {@code Next} (pops alone can never make it {@code A} again).
 * So every link read during the walk was a link of an entry still on the list, in list order: the chain
 * taken is exactly the first {@code n} entries. A link read from an entry popped and reused meanwhile is
 * garbage (or 0 from an unmapped page, {@link SystemMemory#peekInt}), and the CAS that follows fails. The
 * 16-bit sequence wraps after 65 536 pushes during one walk, NT's own x86 limit.
 */
public final class SListChains {

    private SListChains() {
    }

    /**
     * Pushes the chain {@code first -> ... -> last} of {@code count} entries, already linked through their
     * first four bytes except {@code last}, whose link is written here.
     */
    public static void pushChain(MemorySegment header, SystemMemory memory, int first, int last, int count) {
        SListHeader.pushChain(header, memory, first, last, count);
    }

    /**
     * {@link #pushChain}, but only while the list would hold at most {@code depthLimit} entries afterwards;
     * otherwise leaves the list alone and returns {@code false}. Decided on the word the CAS replaces, so
     * racing spills of several magazines never take the depot above the limit.
     */
    public static boolean pushChainBelowDepth(MemorySegment header, SystemMemory memory, int first, int last, int count,
                                       int depthLimit) {
        while (true) {
            long old = SListHeader.read(header);
            if (SListHeader.depth(old) + count > depthLimit) {
                return false;
            }
            memory.writeInt(last, SListHeader.next(old)); // plain: published by the CAS below
            if (SListHeader.replace(header, old, SListHeader.pushed(old, first, count))) {
                return true;
            }
        }
    }

    /**
     * {@code ExFreeTo...LookasideList}'s depth check and push on one read of the header word: pushes
     * {@code entry} and returns {@code true} while the list holds fewer than {@code depthLimit} entries,
     * else leaves the list alone and returns {@code false}. NT reads {@code ListHead.Depth} and then
     * pushes, so two racing frees can overshoot the limit by one each; deciding on the word the CAS
     * replaces never overshoots, and is one header access cheaper.
     */
    public static boolean pushBelowDepth(MemorySegment header, SystemMemory memory, int entry, int depthLimit) {
        while (true) {
            long old = SListHeader.read(header);
            if (SListHeader.depth(old) >= depthLimit) {
                return false;
            }
            memory.writeInt(entry, SListHeader.next(old)); // plain: published by the CAS below
            if (SListHeader.replace(header, old, SListHeader.pushed(old, entry, 1))) {
                return true;
            }
        }
    }

    /**
     * Takes up to {@code max} (at least 1) entries off the list into {@code out[0..n)}, the list's first
     * entry in {@code out[0]}; returns {@code n}, 0 when the list is empty. The entries' links are left
     * as they were.
     */
    public static int popChain(MemorySegment header, SystemMemory memory, int[] out, int max) {
        while (true) {
            long old = SListHeader.read(header);
            int entry = SListHeader.next(old);
            if (entry == 0) {
                return 0;
            }
            int n = 0;
            do {
                out[n++] = entry;
                entry = memory.peekInt(entry); // racy: validated by the CAS below
            } while (n < max && entry != 0);
            if (SListHeader.replace(header, old, SListHeader.popped(old, entry, n))) {
                return n;
            }
        }
    }
}
