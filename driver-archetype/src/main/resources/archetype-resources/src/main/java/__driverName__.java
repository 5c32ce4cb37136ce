package ${package};

import static dev.ringzero.api.Kd.DbgPrint;
import static dev.ringzero.api.memory.NtLayouts.CONTAINING_RECORD;
import static dev.ringzero.api.memory.NtLayouts.FIELD_OFFSET;
import static dev.ringzero.api.memory.NtLayouts.LIST_ENTRY;
import static dev.ringzero.api.memory.NtLayouts.NPAGED_LOOKASIDE_LIST;
import static dev.ringzero.api.memory.NtLayouts.POINTER;
import static dev.ringzero.api.memory.NtLayouts.ULONG;
import static dev.ringzero.api.memory.PoolFlags.POOL_FLAG_NON_PAGED;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.RingzeroDriver;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * ${driverName}: a Ringzero driver.
 *
 * <p>{@code DriverEntry} allocates a lookaside list header from non-paged pool under the driver's tag
 * ({@code ExAllocatePool2}, which zeroes it; the older {@code ExAllocatePoolWithTag(NonPagedPoolNx, ...)}
 * is still there for code that uses it), initializes a non-paged lookaside list of {@code REQUEST}s, and queues three requests on a doubly
 * linked list whose head is one of the driver's globals. {@code DriverUnload} completes them, oldest
 * first, gives each back to the lookaside list, deletes the list and frees its header — so the driver
 * leaves nothing behind, which the verifier checks at unload.
 *
 * <p>{@code @RingzeroDriver} makes this class the bundle's driver: bnd writes the manifest headers the host
 * loads it by (the entry class and the service name).
 */
@RingzeroDriver(name = "${driverName}")
public final class ${driverName} implements Driver {

    /** The pool tag: C's {@code '...'} literal reversed; {@code !poolused} and leak reports show it as {@code ${poolTag}}. */
    static final int TAG = PoolTag.fromDisplay("${poolTag}");

    /** {@code REQUEST}: what the lookaside list hands out. Offsets come from the layout, never from literals. */
    static final StructLayout REQUEST = MemoryLayout.structLayout(
            ULONG.withName("Id"),
            LIST_ENTRY.withName("ListEntry"),
            ULONG.withName("Length")).withName("REQUEST");

    /** The driver's globals, in its image section (NT's {@code .data?}): zero-filled at load. */
    static final StructLayout GLOBALS = MemoryLayout.structLayout(
            POINTER.withName("g_pLookaside"),
            LIST_ENTRY.withName("g_PendingHead"),
            ULONG.withName("g_NextId")).withName("GLOBALS");

    private static final VarHandle Id = REQUEST.varHandle(groupElement("Id"));
    private static final VarHandle Length = REQUEST.varHandle(groupElement("Length"));
    private static final int ListEntry = (int) FIELD_OFFSET(REQUEST, "ListEntry");
    private static final VarHandle g_pLookaside = GLOBALS.varHandle(groupElement("g_pLookaside"));
    private static final VarHandle g_NextId = GLOBALS.varHandle(groupElement("g_NextId"));

    private MemorySegment globals;
    private int g_PendingHead;
    private SystemMemory memory;
    private PoolAllocator pool;
    private LookasideLists lookaside;
    private Lists lists;

    @Override
    public MemoryLayout imageLayout() {
        return GLOBALS;
    }

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        globals = driverObject.imageSection();
        g_PendingHead = driverObject.DriverStart() + (int) FIELD_OFFSET(GLOBALS, "g_PendingHead");
        memory = driverObject.service(SystemMemory.class);
        pool = driverObject.service(PoolAllocator.class);
        lookaside = driverObject.service(LookasideLists.class);
        lists = driverObject.service(Lists.class);

        DbgPrint("${driverName}: Entering DriverEntry\n");

        // ExAllocatePool2: non-paged, non-executable, zeroed; NULL on failure (or a tag of 0, or bad flags).
        int header = pool.ExAllocatePool2(POOL_FLAG_NON_PAGED, NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        if (header == 0) {
            DbgPrint("${driverName}: Couldn't allocate the lookaside list header\n");
            return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
        }
        g_pLookaside.set(globals, 0L, header);
        lookaside.ExInitializeNPagedLookasideList(header, null, null, 0, REQUEST.byteSize(), TAG, 0);
        DbgPrint("${driverName}: Lookaside list at %08X initialized\n", header);

        lists.InitializeListHead(g_PendingHead);
        for (int i = 0; i < 3; i++) {
            QueueRequest(64 * (i + 1));
        }

        driverObject.setDriverUnload(this::DriverUnload);
        DbgPrint("${driverName}: Leaving DriverEntry\n");
        return NtStatus.STATUS_SUCCESS;
    }

    /**
     * Takes a request from the lookaside list and queues it. Non-paged lookaside lists and non-paged pool
     * may be used up to DISPATCH_LEVEL, so this runs there, as it would under a spin lock.
     */
    private void QueueRequest(int length) {
        int oldIrql = Irql.KeRaiseIrql(Irql.DISPATCH_LEVEL);
        try {
            int request = lookaside.ExAllocateFromNPagedLookasideList(g_pLookaside());
            if (request == 0) {
                DbgPrint("${driverName}: Couldn't allocate a request\n");
                return;
            }
            MemorySegment r = memory.resolve(request, REQUEST.byteSize()).fill((byte) 0);
            int id = (int) g_NextId.get(globals, 0L) + 1;
            g_NextId.set(globals, 0L, id);
            Id.set(r, 0L, id);
            Length.set(r, 0L, length);
            lists.InsertTailList(g_PendingHead, request + ListEntry);
            DbgPrint("${driverName}: Request #%d queued at %08X\n", id, request);
        } finally {
            Irql.KeLowerIrql(oldIrql);
        }
    }

    /** {@code DRIVER_UNLOAD}, at PASSIVE_LEVEL: completes what is queued and gives everything back. */
    private void DriverUnload(DriverObject driverObject) {
        DbgPrint("${driverName}: Entering DriverUnload\n");
        while (!lists.IsListEmpty(g_PendingHead)) {
            int request = CONTAINING_RECORD(lists.RemoveHeadList(g_PendingHead), REQUEST, "ListEntry");
            MemorySegment r = memory.resolve(request, REQUEST.byteSize());
            DbgPrint("${driverName}: Request #%d (%d bytes) completed\n", (int) Id.get(r, 0L), (int) Length.get(r, 0L));
            lookaside.ExFreeToNPagedLookasideList(g_pLookaside(), request);
        }
        lookaside.ExDeleteNPagedLookasideList(g_pLookaside());
        pool.ExFreePoolWithTag(g_pLookaside(), TAG);
        DbgPrint("${driverName}: Lookaside list deleted\n");
        DbgPrint("${driverName}: Leaving DriverUnload\n");
    }

    private int g_pLookaside() {
        return (int) g_pLookaside.get(globals, 0L);
    }
}
