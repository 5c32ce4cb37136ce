package dev.ringzero.distribution.watch;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;

/**
 * Works a non-paged lookaside list (tag {@code Busy}) in bursts deeper than its Depth for {@link #WORK_MILLIS} in
 * {@code DriverEntry} — long enough for the balance-set manager to scan the non-paged lists at least once (every
 * third 1-second tick) and raise the Depth, since most allocations miss. Before that it asks the pool for more than
 * it holds, once: an allocation failure. Loads ({@code STATUS_SUCCESS}); its {@code DriverUnload} deletes the list
 * and frees the header.
 */
public final class BusyListDriver implements Driver {

    public static final int TAG = PoolTag.fromDisplay("Busy");
    /** Long enough for one scan of the non-paged lists, with a margin on a loaded machine. */
    static final long WORK_MILLIS = 6_500;
    static final int BURST = 64;

    private int header;

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        LookasideLists lists = driverObject.service(LookasideLists.class);
        int none = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 1L << 40, TAG);
        DbgPrint("BusyListDriver: a 1 TiB allocation returned %08X\n", none);
        header = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        if (header == 0) {
            return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
        }
        lists.ExInitializeNPagedLookasideList(header, null, null, 0, 32, TAG, 0);
        int[] entries = new int[BURST];
        long end = System.nanoTime() + WORK_MILLIS * 1_000_000;
        long bursts = 0;
        while (System.nanoTime() - end < 0) {
            for (int i = 0; i < BURST; i++) {
                entries[i] = lists.ExAllocateFromNPagedLookasideList(header);
            }
            for (int i = 0; i < BURST; i++) {
                lists.ExFreeToNPagedLookasideList(header, entries[i]);
            }
            bursts++;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        DbgPrint("BusyListDriver: %d bursts of %d\n", bursts, BURST);
        driverObject.setDriverUnload(d -> {
            lists.ExDeleteNPagedLookasideList(header);
            pool.ExFreePoolWithTag(header, TAG);
        });
        return NtStatus.STATUS_SUCCESS;
    }
}
