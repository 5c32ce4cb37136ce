package dev.ringzero.drivers.forgetful;

import static dev.ringzero.api.Kd.DbgPrint;
import static dev.ringzero.api.memory.NtLayouts.PAGED_LOOKASIDE_LIST;
import static dev.ringzero.api.memory.NtLayouts.POINTER;
import static dev.ringzero.api.memory.NtLayouts.ULONG;
import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.RingzeroDriver;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * Forgetful — "In case you forget (I didn't) to call ExDeletePagedLookasideList beforehand you will see
 * BSOD since in about a second the system will try to adjust missing lookaside list."
 *
 * <p>The tutorial's warning (Four-F, KmdKit part 7, §7.3) as a driver. It does what the tutorial's
 * {@code LookasideList} does — a {@code PAGED_LOOKASIDE_LIST} header from non-paged pool,
 * {@code ExInitializePagedLookasideList}, a few entries allocated and freed — and then frees the header
 * with {@code ExFreePool} <em>without</em> {@code ExDeletePagedLookasideList}. The list stays on the
 * system's list of paged lookaside lists, pointing into freed memory. It returns {@code STATUS_SUCCESS}
 * and sets a {@code DriverUnload}, so it stays loaded until it is unloaded.
 *
 * <ul>
 *   <li><b>Verifier on:</b> the free itself is caught: bug check {@code 0xC4}
 *       ({@code DRIVER_VERIFIER_DETECTED_VIOLATION}) with P1 {@code 0xCC} — P2 the lookaside list's
 *       address, P3 the pool block's start, P4 its size. {@code DriverEntry} never returns.</li>
 *   <li><b>Verifier off:</b> the free succeeds, and the balance-set manager's next scan of the paged lists
 *       (every 3 seconds in NT; the tutorial says "about a second") finds the header gone: bug check
 *       {@code 0xCE} ({@code DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS}), P1 the list's
 *       address. The host reports it as this driver's fault and keeps running.</li>
 * </ul>
 */
@RingzeroDriver(name = "Forgetful")
public final class Forgetful implements Driver {

    /** {@code SOME_STRUCTURE}: the blocks the lookaside list hands out (the tutorial's, without the list entry). */
    static final StructLayout SOME_STRUCTURE = MemoryLayout.structLayout(
            ULONG.withName("SomeField1"),
            ULONG.withName("SomeField2"),
            ULONG.withName("SomeFieldX")).withName("SOME_STRUCTURE");

    private static final VarHandle SomeField1 = SOME_STRUCTURE.varHandle(groupElement("SomeField1"));

    /** How many entries it allocates, and then frees, before it forgets the delete. */
    static final int ENTRIES = 3;

    /** The uninitialized data section, {@code .data?}. */
    static final StructLayout DATA = MemoryLayout.structLayout(
            POINTER.withName("g_pPagedLookasideList")).withName(".data?");

    private static final VarHandle g_pPagedLookasideList = DATA.varHandle(groupElement("g_pPagedLookasideList"));

    private MemorySegment data;
    private SystemMemory memory;
    private PoolAllocator pool;
    private LookasideLists lookaside;

    @Override
    public MemoryLayout imageLayout() {
        return DATA;
    }

    // :::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::: DriverEntry

    @Override
    public NtStatus DriverEntry(DriverObject pDriverObject, String pusRegistryPath) {
        data = pDriverObject.imageSection();
        memory = pDriverObject.service(SystemMemory.class);
        pool = pDriverObject.service(PoolAllocator.class);
        lookaside = pDriverObject.service(LookasideLists.class);

        DbgPrint("\nForgetful: Entering DriverEntry\n");

        pDriverObject.setDriverUnload(this::DriverUnload);

        int eax = pool.ExAllocatePool(NonPagedPool, PAGED_LOOKASIDE_LIST.byteSize());
        if (eax == 0) {
            DbgPrint("Forgetful: Couldn't allocate nonpaged memory for lookaside list control structure\n");
            return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
        }
        g_pPagedLookasideList.set(data, 0L, eax);

        DbgPrint("Forgetful: Nonpaged memory for lookaside list allocated at address %08X\n", g_pPagedLookasideList());

        lookaside.ExInitializePagedLookasideList(g_pPagedLookasideList(), null, null,
                0, SOME_STRUCTURE.byteSize(), PoolTag.of("tgrF"), 0);

        DbgPrint("Forgetful: Lookaside list initialized, tag 'Frgt'\n");

        int[] entries = new int[ENTRIES];
        for (int ebx = 0; ebx < ENTRIES; ebx++) {
            int esi = lookaside.ExAllocateFromPagedLookasideList(g_pPagedLookasideList());
            if (esi != 0) {
                SomeField1.set(memory.resolve(esi, SOME_STRUCTURE.byteSize()).fill((byte) 0), 0L, ebx + 1);
            }
            entries[ebx] = esi;
        }
        for (int esi : entries) {
            if (esi != 0) {
                lookaside.ExFreeToPagedLookasideList(g_pPagedLookasideList(), esi);
            }
        }

        DbgPrint("Forgetful: %d entries allocated from and returned to lookaside list\n", ENTRIES);

        // lookaside.ExDeletePagedLookasideList(g_pPagedLookasideList());      <- forgotten

        DbgPrint("Forgetful: Lookaside list NOT deleted (ExDeletePagedLookasideList forgotten)\n");

        pool.ExFreePool(g_pPagedLookasideList());

        DbgPrint("Forgetful: Nonpaged memory for lookaside list at address %08X released\n", g_pPagedLookasideList());

        DbgPrint("Forgetful: Leaving DriverEntry; the balance-set manager will find the list gone at its next scan\n");

        return NtStatus.STATUS_SUCCESS;
    }

    // :::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::: DriverUnload

    private void DriverUnload(DriverObject pDriverObject) {
        DbgPrint("Forgetful: DriverUnload: nothing to delete, I think\n");
    }

    private int g_pPagedLookasideList() {
        return (int) g_pPagedLookasideList.get(data, 0L);
    }
}
