package dev.ringzero.bench.lookaside;

import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.SListChains;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A third lookaside implementation, for the benchmarks only ({@link PolicyHitPathBench}): NT's list with one
 * entry kept in a slot in front of {@code ListHead}, the slot counted against {@code Depth}. Written against the SPI
 * alone and registered as a third party's would be, by {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.ringzero.spi.lookaside.LookasidePolicy}): its point is to be a third receiver
 * type at the executive's call into the cache.
 */
public final class OneSlotPolicy implements LookasidePolicy {

    public static final String NAME = "one-slot";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LookasideCache newCache(LookasideListHandle list) {
        return new Cache(list);
    }

    private static final class Cache implements LookasideCache {
        private final LookasideListHandle list;
        private final MemorySegment header;
        private final SystemMemory memory;
        private final SLists slists;
        /** The entry in front of ListHead, 0 when none: taken and filled with one atomic operation. */
        private final AtomicInteger slot = new AtomicInteger();

        Cache(LookasideListHandle list) {
            this.list = list;
            this.header = list.header();
            this.memory = list.memory();
            this.slists = new SLists(memory);
        }

        @Override
        public int allocate() {
            MemorySegment h = header;
            int entry = slot.getAndSet(0);
            if (entry == 0) {
                entry = slists.pop(h);
            }
            LookasideHeader.setTotalAllocates(h, LookasideHeader.totalAllocates(h) + 1); // plain, as NT's
            if (entry == 0) {
                LookasideHeader.setAllocateMisses(h, LookasideHeader.allocateMisses(h) + 1);
                entry = list.allocateFromRoutine();
            }
            return entry;
        }

        @Override
        public void free(int entry) {
            MemorySegment h = header;
            int depth = LookasideHeader.depth(h);
            // the slot holds one of the Depth entries: ListHead takes at most Depth - 1 beside it
            boolean cached = depth > 0 && (slot.compareAndSet(0, entry)
                    || SListChains.pushBelowDepth(h, memory, entry, depth - 1));
            LookasideHeader.setTotalFrees(h, LookasideHeader.totalFrees(h) + 1);
            if (!cached) {
                LookasideHeader.setFreeMisses(h, LookasideHeader.freeMisses(h) + 1);
                list.freeToRoutine(entry);
            }
        }

        @Override
        public int cachedOutsideListHead() {
            return slot.get() != 0 ? 1 : 0;
        }

        @Override
        public void flush() {
            int entry = slot.getAndSet(0);
            if (entry != 0) {
                list.freeToRoutine(entry);
            }
        }

        @Override
        public void listGone(boolean deleted) {
            if (!deleted) {
                slot.set(0); // purged or dropped: the owner's memory is being reclaimed, forget it
            }
        }
    }
}
