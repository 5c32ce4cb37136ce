package dev.ringzero.distribution.corpus;

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
 * Allocates a block, writes a pattern in it and publishes its address (system property
 * {@value #PROPERTY}, for {@link ThiefDriver}) and makes a lookaside list (its header's address in
 * {@value #LIST_PROPERTY}, for {@link ListThiefDriver}); its DriverUnload checks the pattern, uses and
 * deletes the list and frees both blocks.
 */
public final class VictimDriver implements Driver {

    public static final String PROPERTY = "ringzero.test.victim.block";
    public static final String LIST_PROPERTY = "ringzero.test.victim.list";
    static final int VICTIM_TAG = PoolTag.fromDisplay("Vctm");
    static final int PATTERN = 0x5A5A1234;

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        int block = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 64, VICTIM_TAG);
        memory.writeInt(block, PATTERN);
        System.setProperty(PROPERTY, Integer.toHexString(block));
        LookasideLists lookaside = driverObject.service(LookasideLists.class);
        int list = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), VICTIM_TAG);
        lookaside.ExInitializeNPagedLookasideList(list, null, null, 0, 32, VICTIM_TAG, 0);
        System.setProperty(LIST_PROPERTY, Integer.toHexString(list));
        DbgPrint("VictimDriver: block at %08X, lookaside list at %08X\n", block, list);
        driverObject.setDriverUnload(d -> {
            DbgPrint("VictimDriver: block %s at unload\n", memory.readInt(block) == PATTERN ? "intact" : "CORRUPTED");
            int entry = lookaside.ExAllocateFromNPagedLookasideList(list);
            lookaside.ExFreeToNPagedLookasideList(list, entry);
            lookaside.ExDeleteNPagedLookasideList(list);
            DbgPrint("VictimDriver: lookaside list still usable at unload, and deleted\n");
            pool.ExFreePoolWithTag(list, VICTIM_TAG);
            pool.ExFreePoolWithTag(block, VICTIM_TAG);
        });
        return NtStatus.STATUS_SUCCESS;
    }
}
