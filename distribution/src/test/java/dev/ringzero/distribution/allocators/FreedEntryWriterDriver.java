package dev.ringzero.distribution.allocators;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;

/**
 * The bug {@link GuardedPolicy} is for: frees a lookaside entry, keeps using it (writes 8 bytes into it), and
 * allocates again — the list hands the same entry back (NT's LIFO), and the guarded list finds its poison changed.
 */
public final class FreedEntryWriterDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("UaFw");
    /** Where in the entry the stale write lands. */
    public static final int OFFSET = 8;

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        LookasideLists lookaside = driverObject.service(LookasideLists.class);
        int list = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lookaside.ExInitializeNPagedLookasideList(list, null, null, 0, 64, TAG, 0);
        int entry = lookaside.ExAllocateFromNPagedLookasideList(list);
        lookaside.ExFreeToNPagedLookasideList(list, entry);
        DbgPrint("FreedEntryWriter: writing to entry %08X after its free\n", entry);
        memory.writeInt(entry + OFFSET, 0x0BADF00D);
        lookaside.ExAllocateFromNPagedLookasideList(list);
        DbgPrint("FreedEntryWriter: nobody noticed\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
