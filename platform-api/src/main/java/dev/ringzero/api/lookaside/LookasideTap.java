package dev.ringzero.api.lookaside;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A per-thread handle on one lookaside list — the fastest path, as Stormpot's taps are: no
 * thread-local lookup, no header address to resolve, segments handed over as they are cached.
 *
 * <p>A tap belongs to the thread that {@linkplain LookasideLists#tap created} it; using it from another
 * thread is a programming error the implementation may not detect. Counters and depth rules are the
 * list's: an allocate through a tap is counted exactly like {@code ExAllocateFrom...LookasideList}.
 */
@ProviderType
public interface LookasideTap {

    /**
     * Allocates an entry of the list's size.
     *
     * @return the entry's segment, bounded to the list's entry size, or {@link MemorySegment#NULL}
     *         when the list's allocate routine returned NULL
     */
    MemorySegment allocate();

    /** Returns an entry allocated from the same list. */
    void free(MemorySegment entry);

    /** The system address of the list this tap serves. */
    int lookaside();
}
