package dev.ringzero.distribution.allocators;

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
 * RegMon's traffic on one list that lives as long as the driver: a paged list of 1024-byte entries made in
 * {@code DriverEntry} (so by the implementation selected then), two system threads allocating, stamping, checking
 * and freeing without pause until {@code DriverUnload}, which deletes the list and prints the calls made and how
 * many entries were lost or found corrupted. Two drivers of it ({@link A}, {@link B}): one loaded before an
 * allocator is deployed, one after it is selected.
 */
public abstract class RegMonTraffic implements Driver {

    /** The driver loaded first. */
    public static final class A extends RegMonTraffic {
        public A() {
            super("TrafficA");
        }
    }

    /** The driver loaded second. */
    public static final class B extends RegMonTraffic {
        public B() {
            super("TrafficB");
        }
    }

    private final String name;

    RegMonTraffic(String name) {
        this.name = name;
    }

    static final int TAG = PoolTag.fromDisplay("Regm");
    static final long HEADER = NtLayouts.PAGED_LOOKASIDE_LIST.byteSize();

    private volatile boolean stop;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        PoolAllocator pool = driverObject.service(PoolAllocator.class);
        SystemMemory memory = driverObject.service(SystemMemory.class);
        LookasideLists lookaside = driverObject.service(LookasideLists.class);
        int list = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, HEADER, TAG);
        lookaside.ExInitializePagedLookasideList(list, null, null, 0, 1024, TAG, 0);
        List<SystemThread> threads = List.of(
                driverObject.PsCreateSystemThread("logger 1", () -> work(1, list, memory, lookaside)),
                driverObject.PsCreateSystemThread("logger 2", () -> work(2, list, memory, lookaside)));
        driverObject.setDriverUnload(d -> {
            stop = true;
            for (SystemThread t : threads) {
                try {
                    t.join(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            lookaside.ExDeletePagedLookasideList(list);
            pool.ExFreePoolWithTag(list, TAG);
            DbgPrint("%s: %d calls, %d entries lost or corrupted\n", name, calls.get(), bad.get());
        });
        DbgPrint("%s: list at %08X\n", name, list);
        return NtStatus.STATUS_SUCCESS;
    }

    private void work(int thread, int list, SystemMemory memory, LookasideLists lookaside) {
        int i = 0;
        while (!stop) {
            int stamp = thread << 24 | (i++ & 0xFFFFFF);
            int entry = lookaside.ExAllocateFromPagedLookasideList(list);
            if (entry == 0) {
                bad.incrementAndGet();
                continue;
            }
            memory.writeInt(entry, stamp);
            memory.writeInt(entry + 1020, ~stamp);
            if (memory.readInt(entry) != stamp || memory.readInt(entry + 1020) != ~stamp) {
                bad.incrementAndGet();
            }
            lookaside.ExFreeToPagedLookasideList(list, entry);
            calls.incrementAndGet();
        }
    }
}
