package dev.ringzero.distribution.corpus;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;

/**
 * Allocates a block, writes a pattern in it and publishes its address (system property
 * {@value #PROPERTY}, for {@link ThiefDriver}); its DriverUnload checks the pattern and frees the block.
 */
public final class VictimDriver implements Driver {

    public static final String PROPERTY = "ringzero.test.victim.block";
    static final int VICTIM_TAG = PoolTag.fromDisplay("Vctm");
    static final int PATTERN = 0x5A5A1234;

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        int block = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 64, VICTIM_TAG);
        memory.writeInt(block, PATTERN);
        System.setProperty(PROPERTY, Integer.toHexString(block));
        DbgPrint("VictimDriver: block at %08X\n", block);
        driverObject.setDriverUnload(d -> {
            DbgPrint("VictimDriver: block %s at unload\n", memory.readInt(block) == PATTERN ? "intact" : "CORRUPTED");
            pool.ExFreePoolWithTag(block, VICTIM_TAG);
        });
        return NtStatus.STATUS_SUCCESS;
    }
}
