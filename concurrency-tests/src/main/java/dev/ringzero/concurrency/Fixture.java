package dev.ringzero.concurrency;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.pool.ExecutivePoolComponent;
import java.lang.foreign.MemorySegment;

/**
 * One real executive pool per test VM (allocator-pool's ServiceLoader provider), shared by every state
 * object: states allocate their headers and entries from it and their arbiters free them again.
 */
public final class Fixture {

    public static final ExecutivePoolComponent POOL = ExecutivePoolComponent.provider();
    public static final SystemMemory MEMORY = POOL.memory();
    public static final SLists SLISTS = new SLists(MEMORY);
    public static final Owner OWNER = new Owner("Jcstress", 1);
    public static final PoolAllocator ALLOCATOR = POOL.forDriver(OWNER);
    public static final int TAG = PoolTag.of("tsCJ");
    public static final int ENTRY_SIZE = 32;

    private Fixture() {
    }

    /** An empty {@code SLIST_HEADER} in non-paged pool. */
    public static int newSListHeader() {
        int h = ALLOCATOR.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.SLIST_HEADER.byteSize(), TAG);
        SLISTS.InitializeSListHead(h);
        return h;
    }

    public static MemorySegment header(int address) {
        return MEMORY.resolve(address, NtLayouts.SLIST_HEADER.byteSize());
    }

    public static int newEntry() {
        return ALLOCATOR.ExAllocatePoolWithTag(PoolType.NonPagedPool, ENTRY_SIZE, TAG);
    }

    public static void free(int... addresses) {
        for (int a : addresses) {
            ALLOCATOR.ExFreePool(a);
        }
    }

    /** Small ids for entries, so outcomes read as "1, 2" rather than addresses: 0 for NULL, -1 for a stranger. */
    public static int id(int entry, int... entries) {
        if (entry == 0) {
            return 0;
        }
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] == entry) {
                return i + 1;
            }
        }
        return -1;
    }
}
