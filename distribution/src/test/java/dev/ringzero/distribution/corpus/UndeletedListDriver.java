package dev.ringzero.distribution.corpus;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;

/** Initializes a lookaside list and never deletes it: under the verifier, bug check 0xC7 at unload. */
public final class UndeletedListDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Bad!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        DbgPrint("UndeletedListDriver: Entering DriverEntry\n");
        LookasideLists lookaside = driverObject.service(LookasideLists.class);
        int header = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lookaside.ExInitializeNPagedLookasideList(header, null, null, 0, 64, TAG, 0);
        driverObject.setDriverUnload(d -> DbgPrint("UndeletedListDriver: DriverUnload forgets its list\n"));
        return NtStatus.STATUS_SUCCESS;
    }
}
