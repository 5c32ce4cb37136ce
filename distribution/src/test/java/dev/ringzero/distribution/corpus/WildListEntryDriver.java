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

/** Unlinks a LIST_ENTRY whose Flink it scribbled over: bug check 0x139 (KERNEL_SECURITY_CHECK_FAILURE). */
public final class WildListEntryDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Bad!");

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        DbgPrint("WildListEntryDriver: Entering DriverEntry\n");
        Lists lists = driverObject.service(Lists.class);
        int size = (int) NtLayouts.LIST_ENTRY.byteSize();
        int head = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, size * 3, TAG);
        int entry = head + size;
        int stray = head + 2 * size;   // a LIST_ENTRY on no list: its Blink is 0
        memory.resolve(head, size * 3).fill((byte) 0);
        lists.InitializeListHead(head);
        lists.InsertTailList(head, entry);
        memory.writeInt(entry, stray);   // Flink now points at an entry whose Blink is not this one
        lists.RemoveEntryList(entry);
        return NtStatus.STATUS_SUCCESS;
    }
}
