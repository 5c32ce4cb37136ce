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

/** Frees a block the VictimDriver owns (its address published in a system property): a bug check against the thief; the victim keeps its block. */
public final class ThiefDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Bad!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        DbgPrint("ThiefDriver: Entering DriverEntry\n");
        int stolen = Integer.parseUnsignedInt(System.getProperty(VictimDriver.PROPERTY), 16);
        DbgPrint("ThiefDriver: freeing %08X\n", stolen);
        pool.ExFreePoolWithTag(stolen, PoolTag.fromDisplay("Vctm"));
        return NtStatus.STATUS_SUCCESS;
    }
}
