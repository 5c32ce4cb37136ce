package dev.ringzero.pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where verified owners' blocks were allocated, for the leak report ({@code PoolBlockInfo.allocationSite}):
 * the caller's frame, recorded at allocation by block address, forgotten at free. A block whose site is
 * recorded carries {@link PoolHeader#FLAG_SITE}, so a free looks here only for those.
 *
 * <p>The site is the first frame, walking out from the pool, that is not the executive's
 * ({@link ExecutiveFrames}): the pool's own, the API's default methods and a lookaside list's are passed
 * over, so a leak is charged to the driver's line that asked, even through a lookaside list's refill — by any
 * implementation, a deployed bundle's too ({@link ExecutiveFrames#site}).
 */
final class AllocationSites {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** By block address. Concurrent: any thread may allocate and free. */
    private final Map<Integer, StackTraceElement> sites = new ConcurrentHashMap<>();
    private final ExecutiveFrames executive = ExecutiveFrames.discover();

    /** Records the caller's frame as the site of the block at {@code address} (the header already has FLAG_SITE). */
    void record(int address) {
        StackTraceElement site = WALKER.walk(frames -> executive
                .site(frames.toList(), StackWalker.StackFrame::getDeclaringClass)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
        if (site != null) {
            sites.put(address, site);
        }
    }

    /** The site of the live block at {@code address}, or null when none was recorded. */
    StackTraceElement at(int address) {
        return sites.get(address);
    }

    /** Forgets the site of the block at {@code address} (freed or reclaimed). */
    void forget(int address) {
        sites.remove(address);
    }
}
