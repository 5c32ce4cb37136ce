package dev.ringzero.distribution.watch;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.SystemThread;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A driver that runs: a system thread allocates a 48-byte block tagged {@code Tick} every {@link #PERIOD_MILLIS}
 * and keeps the last {@link #KEPT} (so Allocs climbs, Diff stays bounded), and it owns one lookaside list (tag
 * {@code Tckl}). Its {@code DriverUnload} stops the thread and gives everything back.
 */
public final class TickingDriver implements Driver {

    public static final int TAG = PoolTag.fromDisplay("Tick");
    public static final int LIST_TAG = PoolTag.fromDisplay("Tckl");
    static final long PERIOD_MILLIS = 50;
    static final int KEPT = 8;
    /** Printed after each tick's allocation: a test holds the ticker there to know a tick happened. */
    public static final String TICK = "TickingDriver: tick";

    private volatile boolean running = true;

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        LookasideLists lists = driverObject.service(LookasideLists.class);
        int header = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), LIST_TAG);
        lists.ExInitializeNPagedLookasideList(header, null, null, 0, 24, LIST_TAG, 0);
        ArrayDeque<Integer> kept = new ArrayDeque<>();
        SystemThread ticker = driverObject.PsCreateSystemThread("ticker", () -> {
            while (running) {
                kept.addLast(pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, 48, TAG));
                if (kept.size() > KEPT) {
                    pool.ExFreePoolWithTag(kept.removeFirst(), TAG);
                }
                lists.ExFreeToNPagedLookasideList(header, lists.ExAllocateFromNPagedLookasideList(header));
                DbgPrint(TICK + "\n");
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            kept.forEach(b -> pool.ExFreePoolWithTag(b, TAG));
            kept.clear();
        });
        driverObject.setDriverUnload(d -> {
            running = false;
            try {
                ticker.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lists.ExDeleteNPagedLookasideList(header);
            pool.ExFreePoolWithTag(header, LIST_TAG);
            DbgPrint("TickingDriver: stopped\n");
        });
        DbgPrint("TickingDriver: ticking\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
