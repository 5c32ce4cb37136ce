package dev.ringzero.pool;

import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Blocks that hold a live lookaside list ({@code ExecutivePool.setLookasideMark}): the verifier's
 * {@code 0xC4/0xCC} when such a block is freed. By block address, the addresses of the lists inside it;
 * a marked block carries {@link PoolHeader#FLAG_LOOKASIDE}, so a free looks here only for those.
 *
 * <p>Marking and unmarking change the set and the header flag together under the table's monitor (a
 * block's flag is set exactly while its set is non-empty); a free reads the flag from the header it
 * already checked and clears both.
 */
final class LookasideMarks {

    private final Map<Integer, NavigableSet<Integer>> lists = new ConcurrentHashMap<>();

    /** Marks ({@code live}) or unmarks the list at {@code list}, inside the live block {@code b}. */
    void set(BlockRef b, int list, boolean live) {
        synchronized (lists) {
            long w0 = b.word0();
            if (live) {
                lists.computeIfAbsent(b.address(), k -> new ConcurrentSkipListSet<>()).add(list);
                b.setWord0(PoolHeader.withFlags(w0, PoolHeader.flags(w0) | PoolHeader.FLAG_LOOKASIDE));
            } else {
                NavigableSet<Integer> in = lists.get(b.address());
                if (in != null) {
                    in.remove(list);
                    if (in.isEmpty()) {
                        lists.remove(b.address());
                        b.setWord0(PoolHeader.withFlags(w0, PoolHeader.flags(w0) & ~PoolHeader.FLAG_LOOKASIDE));
                    }
                }
            }
        }
    }

    /**
     * The block at {@code address}, whose header word 0 is {@code w0} and carries the lookaside flag, is being
     * freed: for a verified owner with a list still live inside it, the bug check; else the marks are forgotten.
     */
    void clearAtFree(boolean verified, int address, long w0) {
        NavigableSet<Integer> in = lists.get(address);
        if (verified && in != null && !in.isEmpty()) {
            throw PoolBugChecks.lookasideFreed(in.first(), address, PoolHeader.numberOfBytes(w0));
        }
        lists.remove(address);
    }
}
