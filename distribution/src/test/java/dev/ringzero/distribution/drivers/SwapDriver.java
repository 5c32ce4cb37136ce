package dev.ringzero.distribution.drivers;

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
import dev.ringzero.api.memory.SystemMemory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Allocates without pause from two system threads while the host may swap the lookaside implementation
 * under it: a long-lived list (32-byte entries, made in {@code DriverEntry}) and, on each thread, a
 * short-lived list (48-byte entries) made and deleted every round. Every entry gets a stamp that is
 * checked before it is freed; {@code DriverUnload} stops the threads, deletes the long-lived list and
 * prints the rounds and how many entries were lost or found corrupted.
 */
public final class SwapDriver implements Driver {

    static final int TAG = PoolTag.fromDisplay("Swap");
    static final long HEADER = NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize();

    private volatile boolean stop;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        LookasideLists lookaside = driverObject.service(LookasideLists.class);
        int longLived = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, HEADER, TAG);
        lookaside.ExInitializeNPagedLookasideList(longLived, null, null, 0, 32, TAG, 0);
        List<SystemThread> threads = List.of(
                driverObject.PsCreateSystemThread("worker 1", () -> work(1, longLived, pool, memory, lookaside)),
                driverObject.PsCreateSystemThread("worker 2", () -> work(2, longLived, pool, memory, lookaside)));
        driverObject.setDriverUnload(d -> {
            stop = true;
            for (SystemThread t : threads) {
                try {
                    t.join(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            lookaside.ExDeleteNPagedLookasideList(longLived);
            pool.ExFreePoolWithTag(longLived, TAG);
            DbgPrint("SwapDriver: %d rounds, %d entries lost or corrupted\n", rounds.get(), bad.get());
        });
        DbgPrint("SwapDriver: long-lived list at %08X\n", longLived);
        return NtStatus.STATUS_SUCCESS;
    }

    private void work(int thread, int longLived, PoolAllocator pool, SystemMemory memory, LookasideLists lookaside) {
        while (!stop) {
            int header = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, HEADER, TAG);
            lookaside.ExInitializeNPagedLookasideList(header, null, null, 0, 48, TAG, 0);
            for (int i = 0; i < 64; i++) {
                int stamp = thread << 24 | i;
                int a = lookaside.ExAllocateFromNPagedLookasideList(longLived);
                int b = lookaside.ExAllocateFromNPagedLookasideList(header);
                if (a == 0 || b == 0) {
                    bad.incrementAndGet();
                    continue;
                }
                memory.writeInt(a, stamp);
                memory.writeInt(b, ~stamp);
                if (memory.readInt(a) != stamp || memory.readInt(b) != ~stamp) {
                    bad.incrementAndGet();
                }
                lookaside.ExFreeToNPagedLookasideList(longLived, a);
                lookaside.ExFreeToNPagedLookasideList(header, b);
            }
            lookaside.ExDeleteNPagedLookasideList(header);
            pool.ExFreePoolWithTag(header, TAG);
            rounds.incrementAndGet();
        }
    }
}
