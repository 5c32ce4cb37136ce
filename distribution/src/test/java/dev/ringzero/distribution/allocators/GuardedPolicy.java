package dev.ringzero.distribution.allocators;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.SListChains;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * {@code guarded}: NT's lookaside list with a guard against use after free — docs/writing-an-allocator.md's
 * example. Every entry freed into the cache is filled with {@link #POISON} (all but its first four bytes, the
 * S-list link); the allocation that takes it out of the cache checks the poison first. A changed byte means
 * someone wrote to the entry after it was freed: the bug check {@link #DRIVER_CAUGHT_MODIFYING_FREED_POOL}
 * (0xC6), raised on the allocating thread, so charged to the list's owner.
 *
 * <h2>Why 0xC6</h2>
 * NT's own name for it: Driver Verifier stops with {@code DRIVER_CAUGHT_MODIFYING_FREED_POOL} when a driver wrote to
 * pool it had freed (Parameter1 the address, Parameter2 1 for a write, Parameter3 0 for kernel mode). NT's
 * verifier cannot see this for lookaside entries — it turns caching off instead (Depth 0) — so this list keeps
 * caching and looks. Unlike the verifier it finds the write late (at the next allocation of that entry), not at
 * the faulting instruction; the entry's owner is the list's owner, whom the bug check names.
 *
 * <p>What it does not see: a write to an entry that went back to the pool (a free above {@code Depth}), and a
 * write to the link's four bytes — the cache's own S-list uses them (a 4-byte entry is all link: nothing to poison).
 */
public final class GuardedPolicy implements LookasidePolicy {

    public static final String NAME = "guarded";

    /** What a freed entry is filled with: not 0, not 0xFF, odd (a poisoned pointer faults). */
    public static final byte POISON = (byte) 0xD9;

    /** 0xC6: a write to an entry after its free, found by the poison. */
    public static final BugCheckCode DRIVER_CAUGHT_MODIFYING_FREED_POOL = new BugCheckCode(0xC6,
            "DRIVER_CAUGHT_MODIFYING_FREED_POOL", List.of("memory referenced", "access (0 read, 1 write)",
            "mode (0 kernel, 1 user)", "reserved (4)"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LookasideCache newCache(LookasideListHandle list) {
        return new Cache(list);
    }

    /**
     * One list: NT's S-list in the header's {@code ListHead}, as {@code nt} keeps it, with the poison written at
     * free and checked at allocate. The counters are plain read-modify-writes in the header, as NT's are: a racing
     * update may be lost, which NT accepts for statistics.
     */
    static final class Cache implements LookasideCache {

        private final LookasideListHandle list;
        private final MemorySegment header;
        private final SystemMemory memory;
        private final SLists slists;
        private final int size;
        /** {@code size - 4} poison bytes: what every cached entry holds after its link. */
        private final MemorySegment poison;

        Cache(LookasideListHandle list) {
            this.list = list;
            this.header = list.header();
            this.memory = list.memory();
            this.slists = new SLists(memory);
            this.size = LookasideHeader.size(header);
            byte[] bytes = new byte[Math.max(0, size - Integer.BYTES)];
            Arrays.fill(bytes, POISON);
            this.poison = MemorySegment.ofArray(bytes);
        }

        @Override
        public int allocate() {
            LookasideHeader.setTotalAllocates(header, LookasideHeader.totalAllocates(header) + 1);
            int entry = slists.pop(header);
            if (entry == 0) {
                LookasideHeader.setAllocateMisses(header, LookasideHeader.allocateMisses(header) + 1);
                return list.allocateFromRoutine();
            }
            long changed = size > Integer.BYTES ? body(entry).mismatch(poison) : -1;
            if (changed >= 0) {
                int at = entry + Integer.BYTES + (int) changed;
                throw new BugCheck(DRIVER_CAUGHT_MODIFYING_FREED_POOL, Integer.toUnsignedLong(at), 1, 0, 4,
                        String.format("lookaside entry %08X of the list at %08X (%s) was written after its free: byte at"
                                + " %08X is %02X, the poison is %02X", entry, list.address(), list.owner().name(), at,
                                memory.resolve(at, 1).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), POISON));
            }
            return entry;
        }

        @Override
        public void free(int entry) {
            LookasideHeader.setTotalFrees(header, LookasideHeader.totalFrees(header) + 1);
            if (size > Integer.BYTES) {
                body(entry).fill(POISON);   // before the push publishes the entry to other threads
            }
            if (!SListChains.pushBelowDepth(header, memory, entry, LookasideHeader.depth(header))) {
                LookasideHeader.setFreeMisses(header, LookasideHeader.freeMisses(header) + 1);
                list.freeToRoutine(entry);
            }
        }

        /** The entry after its link. */
        private MemorySegment body(int entry) {
            return memory.resolve(entry + Integer.BYTES, size - Integer.BYTES);
        }
    }
}
