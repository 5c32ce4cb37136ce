package dev.ringzero.drivers.regmon;

import static dev.ringzero.api.Kd.DbgPrint;
import static dev.ringzero.api.memory.NtLayouts.PAGED_LOOKASIDE_LIST;
import static dev.ringzero.api.memory.NtLayouts.POINTER;
import static dev.ringzero.api.memory.NtLayouts.ULONG;
import static dev.ringzero.api.memory.NtLayouts.USHORT;
import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.RingzeroDriver;
import dev.ringzero.api.SystemThread;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.Phaser;

/**
 * RegMon — "RegMon does not keep allocated block for a long time."
 *
 * <p>The tutorial's {@code !lookaside} lesson (Four-F, KmdKit part 7, §7.3) shows Sysinternals' RegMon's
 * paged lookaside list — tag {@code 'Regm'}, 1024-byte entries — after 1,319,722 allocations with a 99 %
 * hit rate. This driver does RegMon's work pattern: two system threads each "intercept" a burst of
 * registry calls every second, and for each call allocate a {@code LOG_ENTRY} from the list, fill it in
 * (sequence number, status, the key's path) and give it back at once. Because no block is held for long,
 * the list's few cached entries serve nearly every allocation, and the balance-set manager, seeing a miss
 * rate under 0.5 %, keeps {@code Depth} at its floor of 4 — the tutorial's dump to the line:
 * {@code Current Depth = 2  Max Depth = 4}.
 *
 * <h2>Where the work happens</h2>
 * In {@code DriverEntry}, which waits for its threads ({@code KeWaitForSingleObject} on each thread object:
 * {@link SystemThread#join}) before it prints its own view of the counters ({@link LookasideLists#query}),
 * deletes the list and returns {@code STATUS_SUCCESS}. So {@code ringzero run}, which unloads each driver
 * right after loading it, sees the whole run, and the host's report shows the list's final
 * {@code !lookaside}, taken just before the delete. The run lasts {@code ringzero.regmon.seconds} seconds
 * (a system property, default {@value #DEFAULT_SECONDS}: three or more of the tuner's 3-second scans),
 * which must stay under the host's DriverEntry watchdog ({@code --watchdog}, 15 s by default).
 *
 * <h2>Pacing</h2>
 * The threads and {@code DriverEntry} meet at a barrier twice a second ({@code g_Second}, two
 * notification events in C): after each thread has logged its {@value #CALLS_PER_SECOND} calls of the
 * second, and after {@code DriverEntry} has waited out the rest of the second. The balance-set manager
 * therefore sees the same load in every scan, and the in-process test replaces the wait by a tick of the
 * tuner ({@link #KeDelayExecutionThread}), so it never depends on wall-clock time.
 *
 * <p>NT's lookaside counters are plain increments, not interlocked: two threads hitting the same list
 * lose a few, and the list's {@code TotalAllocates} can be a little below the calls the threads count.
 * That race is NT's and harmless (the counters only feed the tuner and {@code !lookaside}); the driver
 * prints both numbers.
 */
@RingzeroDriver(name = "RegMon")
public final class RegMon implements Driver {

    /** How long the driver watches the registry when {@code ringzero.regmon.seconds} is not set. */
    static final int DEFAULT_SECONDS = 10;
    /** Registry calls each thread logs per second: two threads, ten seconds, the tutorial's 1.3 million. */
    static final int CALLS_PER_SECOND = 66_000;
    /** Threads watching the registry. */
    static final int THREADS = 2;

    /** {@code LOG_ENTRY}: one intercepted registry call, 1024 bytes like RegMon's entries. */
    static final StructLayout LOG_ENTRY = MemoryLayout.structLayout(
            ULONG.withName("Sequence"),
            ULONG.withName("ThreadId"),
            ULONG.withName("Status"),               // the NTSTATUS the call returned
            USHORT.withName("Length"),              // UNICODE_STRING-style: bytes used in Path
            USHORT.withName("MaximumLength"),
            MemoryLayout.sequenceLayout(504, ValueLayout.JAVA_CHAR).withName("Path")).withName("LOG_ENTRY");

    private static final VarHandle Sequence = LOG_ENTRY.varHandle(groupElement("Sequence"));
    private static final VarHandle ThreadId = LOG_ENTRY.varHandle(groupElement("ThreadId"));
    private static final VarHandle Status = LOG_ENTRY.varHandle(groupElement("Status"));
    private static final VarHandle Length = LOG_ENTRY.varHandle(groupElement("Length"));
    private static final VarHandle MaximumLength = LOG_ENTRY.varHandle(groupElement("MaximumLength"));
    private static final long Path = NtLayouts.FIELD_OFFSET(LOG_ENTRY, "Path");
    private static final int MAX_PATH_CHARS = (int) (LOG_ENTRY.byteSize() - Path) / 2;

    /** The keys the threads "see" opened, in turn. */
    private static final char[][] KEYS = {
            "\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon".toCharArray(),
            "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\RegMon".toCharArray(),
            "\\REGISTRY\\USER\\S-1-5-21-1004\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer".toCharArray(),
            "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management".toCharArray()};

    /** The uninitialized data section, {@code .data?}. */
    static final StructLayout DATA = MemoryLayout.structLayout(
            POINTER.withName("g_pPagedLookasideList"),
            ULONG.withName("g_dwSeconds"),
            MemoryLayout.sequenceLayout(THREADS, ULONG).withName("g_dwCalls"),       // one per thread, its own
            MemoryLayout.sequenceLayout(THREADS, ULONG).withName("g_dwFailures")).withName(".data?");

    private static final VarHandle g_pPagedLookasideList = DATA.varHandle(groupElement("g_pPagedLookasideList"));
    private static final VarHandle g_dwSeconds = DATA.varHandle(groupElement("g_dwSeconds"));
    private static final VarHandle g_dwCalls = DATA.varHandle(groupElement("g_dwCalls"), sequenceElement());
    private static final VarHandle g_dwFailures = DATA.varHandle(groupElement("g_dwFailures"), sequenceElement());

    /**
     * {@code KeDelayExecutionThread(KernelMode, FALSE, &DueTime)} with an absolute due time (a
     * {@link System#nanoTime()} value): how {@code DriverEntry} waits out the rest of each second, so the
     * run lasts its seconds however long the bursts take. The in-process test puts a tick of the
     * balance-set manager here instead.
     */
    static volatile Delay KeDelayExecutionThread = RegMon::DelayUntil;

    /** {@code KeDelayExecutionThread} until an absolute due time. */
    @FunctionalInterface
    interface Delay {
        void KeDelayExecutionThread(long dueTimeNanos);
    }

    private MemorySegment data;
    private SystemMemory memory;
    private PoolAllocator pool;
    private LookasideLists lookaside;
    /** The second's barrier: the threads and DriverEntry meet at it twice a second (see the class comment). */
    private Phaser g_Second;

    @Override
    public MemoryLayout imageLayout() {
        return DATA;
    }

    // :::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::: LogRegistryCall

    /** One intercepted registry call: a log entry from the lookaside list, filled in, and given back. */
    private void LogRegistryCall(int thread, int sequence) {
        int esi = lookaside.ExAllocateFromPagedLookasideList(g_pPagedLookasideList());
        if (esi != 0) {
            MemorySegment entry = memory.resolve(esi, LOG_ENTRY.byteSize());

            char[] key = KEYS[sequence % KEYS.length];
            int chars = Math.min(key.length, MAX_PATH_CHARS);
            Sequence.set(entry, 0L, sequence);
            ThreadId.set(entry, 0L, thread);
            Status.set(entry, 0L, NtStatus.STATUS_SUCCESS.value());
            MemorySegment.copy(key, 0, entry, ValueLayout.JAVA_CHAR, Path, chars);
            Length.set(entry, 0L, (short) (chars * 2));
            MaximumLength.set(entry, 0L, (short) (MAX_PATH_CHARS * 2));

            lookaside.ExFreeToPagedLookasideList(g_pPagedLookasideList(), esi);

            g_dwCalls.set(data, 0L, (long) thread, (int) g_dwCalls.get(data, 0L, (long) thread) + 1);
        } else {
            g_dwFailures.set(data, 0L, (long) thread, (int) g_dwFailures.get(data, 0L, (long) thread) + 1);
        }
    }

    // ::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::: RegMonThread

    /** A system thread's start routine: a burst of calls every second, for {@code g_dwSeconds} seconds. */
    private void RegMonThread(int thread) {
        try {
            int seconds = (int) g_dwSeconds.get(data, 0L);
            int sequence = 0;
            for (int second = 0; second < seconds; second++) {
                for (int call = 0; call < CALLS_PER_SECOND; call++) {
                    LogRegistryCall(thread, sequence++);
                }
                g_Second.arriveAndAwaitAdvance();       // this second's calls are logged
                g_Second.arriveAndAwaitAdvance();       // the second is over
            }
        } finally {
            g_Second.arriveAndDeregister();             // PsTerminateSystemThread: DriverEntry never waits for us again
        }
    }

    // :::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::: DriverEntry

    @Override
    public NtStatus DriverEntry(DriverObject pDriverObject, String pusRegistryPath) {
        data = pDriverObject.imageSection();
        memory = pDriverObject.service(SystemMemory.class);
        pool = pDriverObject.service(PoolAllocator.class);
        lookaside = pDriverObject.service(LookasideLists.class);

        DbgPrint("\nRegMon: Entering DriverEntry\n");

        pDriverObject.setDriverUnload(this::DriverUnload);

        int eax = pool.ExAllocatePool(NonPagedPool, PAGED_LOOKASIDE_LIST.byteSize());
        if (eax == 0) {
            DbgPrint("RegMon: Couldn't allocate nonpaged memory for lookaside list control structure\n");
            return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
        }
        g_pPagedLookasideList.set(data, 0L, eax);

        DbgPrint("RegMon: Nonpaged memory for lookaside list allocated at address %08X\n", g_pPagedLookasideList());

        lookaside.ExInitializePagedLookasideList(g_pPagedLookasideList(), null, null,
                0, LOG_ENTRY.byteSize(), PoolTag.of("mgeR"), 0);

        DbgPrint("RegMon: Lookaside list of %d-byte log entries initialized, tag 'Regm'\n", (int) LOG_ENTRY.byteSize());

        int seconds = Math.max(1, Integer.getInteger("ringzero.regmon.seconds", DEFAULT_SECONDS));
        g_dwSeconds.set(data, 0L, seconds);

        DbgPrint("RegMon: Watching the registry from %d system threads for %d seconds, %d calls a second each\n",
                THREADS, seconds, CALLS_PER_SECOND);

        g_Second = new Phaser(1);                       // DriverEntry is the clock
        SystemThread[] threads = new SystemThread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            int thread = i;
            g_Second.register();
            threads[i] = pDriverObject.PsCreateSystemThread("RegMon #" + (i + 1), () -> RegMonThread(thread));
        }

        long start = System.nanoTime();                 // KeQuerySystemTime
        for (int second = 1; second <= seconds; second++) {
            g_Second.arriveAndAwaitAdvance();           // every thread has logged this second's calls

            LookasideInfo l = lookaside.query(g_pPagedLookasideList());
            DbgPrint("RegMon: %3d s  TotalAllocates = %8u  AllocateMisses = %u  Depth = %u\n",
                    second, l.totalAllocates(), l.allocateMisses(), l.depth());

            KeDelayExecutionThread.KeDelayExecutionThread(start + second * 1_000_000_000L);   // the rest of the second
            g_Second.arriveAndAwaitAdvance();           // next second
        }
        g_Second.arriveAndDeregister();

        for (SystemThread t : threads) {                // KeWaitForSingleObject(thread, Executive, KernelMode, ...)
            try {
                if (!t.join(Duration.ofSeconds(10))) {
                    DbgPrint("RegMon: %s did not end\n", t.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long calls = 0;
        for (int i = 0; i < THREADS; i++) {
            int n = (int) g_dwCalls.get(data, 0L, (long) i);
            calls += Integer.toUnsignedLong(n);
            DbgPrint("RegMon: Thread #%d logged %u registry calls (%u allocation failures)\n",
                    i + 1, n, (int) g_dwFailures.get(data, 0L, (long) i));
        }

        LookasideInfo l = lookaside.query(g_pPagedLookasideList());
        DbgPrint("\nRegMon: %u allocations made; the list counted TotalAllocates = %u (its counters are not interlocked, as in NT)\n",
                calls, l.totalAllocates());
        DbgPrint("RegMon: AllocateMisses = %u  Hit Rate = %u%%\n", l.allocateMisses(), l.allocateHitRate());
        DbgPrint("RegMon: FreeMisses     = %u  Hit Rate = %u%%\n", l.freeMisses(), l.freeHitRate());
        DbgPrint("RegMon: Current Depth = %u  Max Depth = %u  (the tuner keeps Depth between 4 and %u)\n\n",
                l.currentDepth(), l.depth(), l.maximumDepth());

        lookaside.ExDeletePagedLookasideList(g_pPagedLookasideList());

        DbgPrint("RegMon: Lookaside list deleted\n");

        pool.ExFreePool(g_pPagedLookasideList());

        DbgPrint("RegMon: Nonpaged memory for lookaside list at address %08X released\n", g_pPagedLookasideList());

        DbgPrint("RegMon: Leaving DriverEntry\n");

        return NtStatus.STATUS_SUCCESS;
    }

    // :::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::: DriverUnload

    private void DriverUnload(DriverObject pDriverObject) {
        DbgPrint("RegMon: DriverUnload: the list was deleted in DriverEntry, nothing left to free\n");
    }

    private int g_pPagedLookasideList() {
        return (int) g_pPagedLookasideList.get(data, 0L);
    }

    /** The real wait, in wall-clock time, while the host's balance-set manager runs. */
    private static void DelayUntil(long dueTimeNanos) {
        try {
            long nanos = dueTimeNanos - System.nanoTime();
            if (nanos > 0) {
                Thread.sleep(Duration.ofNanos(nanos));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
