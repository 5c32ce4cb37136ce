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
 * {@link FreedEntryWriterDriver}'s bug with the allocation put off: {@code DriverEntry} frees an entry and writes
 * to it; only {@code DriverUnload} allocates again. Loaded while {@code guarded} serves new lists and unloaded after
 * its jar was deleted, the guarded list's bug check path runs for the first time after the framework refreshed the
 * bundle away — it links only because the host loaded the jar's classes before (ClassPreload).
 */
public final class StaleWriterDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("UaFs");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        LookasideLists lookaside = driverObject.service(LookasideLists.class);
        int list = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lookaside.ExInitializeNPagedLookasideList(list, null, null, 0, 64, TAG, 0);
        int entry = lookaside.ExAllocateFromNPagedLookasideList(list);
        lookaside.ExFreeToNPagedLookasideList(list, entry);
        memory.writeInt(entry + FreedEntryWriterDriver.OFFSET, 0x0BADF00D);
        DbgPrint("StaleWriter: wrote to entry %08X after its free\n", entry);
        driverObject.setDriverUnload(d -> {
            lookaside.ExAllocateFromNPagedLookasideList(list);
            DbgPrint("StaleWriter: nobody noticed\n");
        });
        return NtStatus.STATUS_SUCCESS;
    }
}
