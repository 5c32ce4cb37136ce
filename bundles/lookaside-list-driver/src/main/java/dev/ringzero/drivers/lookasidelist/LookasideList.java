package dev.ringzero.drivers.lookasidelist;

import static dev.ringzero.api.Kd.DbgPrint;
import static dev.ringzero.api.memory.NtLayouts.CONTAINING_RECORD;
import static dev.ringzero.api.memory.NtLayouts.FIELD_OFFSET;
import static dev.ringzero.api.memory.NtLayouts.LIST_ENTRY;
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
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * LookasideList — "Merely allocates and releases some fixed-size blocks of memory."
 *
 * <p>The KmdKit tutorial's sample driver (Four-F, "Kernel Mode Driver Tutorial for MASM32 Programmers,
 * Part 7 – Lookaside Lists"), line for line: it allocates a {@code PAGED_LOOKASIDE_LIST} header from
 * non-paged pool, initializes a paged lookaside list of {@code SOME_STRUCTURE}s with the tag
 * {@code 'msaW'}, runs five rounds of AddEntry / AddEntry / RemoveEntry over a doubly linked list,
 * removes the rest, deletes the list, frees the header and returns
 * {@code STATUS_DEVICE_CONFIGURATION_ERROR} so that the system unloads it again. Every
 * {@code DbgPrint} string is the tutorial's.
 */
@RingzeroDriver(name = "LookasideList")
public final class LookasideList implements Driver {

    /** {@code SOME_STRUCTURE}: the blocks the lookaside list hands out. */
    static final StructLayout SOME_STRUCTURE = MemoryLayout.structLayout(
            ULONG.withName("SomeField1"),
            ULONG.withName("SomeField2"),
            // . . . any other fields come here
            LIST_ENTRY.withName("ListEntry"),       // for tracking memory blocks
            // . . . any other fields come here
            ULONG.withName("SomeFieldX")).withName("SOME_STRUCTURE");

    private static final VarHandle SomeField1 = SOME_STRUCTURE.varHandle(groupElement("SomeField1"));
    private static final int ListEntry = (int) FIELD_OFFSET(SOME_STRUCTURE, "ListEntry");

    /** The uninitialized data section, {@code .data?}. */
    static final StructLayout DATA = MemoryLayout.structLayout(
            POINTER.withName("g_pPagedLookasideList"),
            LIST_ENTRY.withName("g_ListHead"),
            ULONG.withName("g_dwIndex")).withName(".data?");

    private static final VarHandle g_pPagedLookasideList = DATA.varHandle(groupElement("g_pPagedLookasideList"));
    private static final VarHandle g_dwIndex = DATA.varHandle(groupElement("g_dwIndex"));

    private MemorySegment data;
    private int g_ListHead;          // lea eax, g_ListHead
    private SystemMemory memory;
    private PoolAllocator pool;
    private LookasideLists lookaside;
    private Lists lists;

    @Override
    public MemoryLayout imageLayout() {
        return DATA;
    }

    // ::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::: AddEntry

    private void AddEntry() {
        int esi = lookaside.ExAllocateFromPagedLookasideList(g_pPagedLookasideList());
        if (esi != 0) {
            DbgPrint("LookasideList: + Memory block allocated from lookaside list at address %08X\n", esi);

            MemorySegment entry = memory.resolve(esi, SOME_STRUCTURE.byteSize());
            entry.fill((byte) 0);                                                   // memset

            lists.InsertHeadList(g_ListHead, esi + ListEntry);

            int index = (int) g_dwIndex.get(data, 0L) + 1;                          // inc g_dwIndex
            g_dwIndex.set(data, 0L, index);
            SomeField1.set(entry, 0L, index);

            DbgPrint("LookasideList: + Entry #%d added\n", (int) SomeField1.get(entry, 0L));
        } else {
            DbgPrint("LookasideList: Very bad. Couldn't allocate from lookaside list\n");
        }
    }

    // :::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::: RemoveEntry

    private void RemoveEntry() {
        if (!lists.IsListEmpty(g_ListHead)) {
            int esi = CONTAINING_RECORD(lists.RemoveHeadList(g_ListHead), SOME_STRUCTURE, "ListEntry");

            MemorySegment entry = memory.resolve(esi, SOME_STRUCTURE.byteSize());
            DbgPrint("LookasideList: - Entry #%d removed\n", (int) SomeField1.get(entry, 0L));

            lookaside.ExFreeToPagedLookasideList(g_pPagedLookasideList(), esi);

            DbgPrint("LookasideList: - Memory block at address %08X returned to lookaside list\n", esi);
        } else {
            DbgPrint("LookasideList: An attempt was made to remove entry from empty lookaside list\n");
        }
    }

    // :::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::: DriverEntry

    @Override
    public NtStatus DriverEntry(DriverObject pDriverObject, String pusRegistryPath) {
        data = pDriverObject.imageSection();
        g_ListHead = pDriverObject.DriverStart() + (int) FIELD_OFFSET(DATA, "g_ListHead");
        memory = pDriverObject.service(SystemMemory.class);
        pool = pDriverObject.service(PoolAllocator.class);
        lookaside = pDriverObject.service(LookasideLists.class);
        lists = pDriverObject.service(Lists.class);
        pDriverObject.registerDebuggerType(SOME_STRUCTURE);   // Ringzero's stand-in for the driver's symbols: dt SOME_STRUCTURE

        DbgPrint("\nLookasideList: Entering DriverEntry\n");

        int eax = pool.ExAllocatePool(NonPagedPool, PAGED_LOOKASIDE_LIST.byteSize());
        if (eax != 0) {

            g_pPagedLookasideList.set(data, 0L, eax);

            DbgPrint("LookasideList: Nonpaged memory for lookaside list allocated at address %08X\n",
                    g_pPagedLookasideList());

            lookaside.ExInitializePagedLookasideList(g_pPagedLookasideList(), null, null,
                    0, SOME_STRUCTURE.byteSize(), PoolTag.of("msaW"), 0);

            DbgPrint("LookasideList: Lookaside list initialized\n");

            lists.InitializeListHead(g_ListHead);

            DbgPrint("LookasideList: Doubly linked list head initialized\n");

            DbgPrint("\nLookasideList: Start to allocate/free from/to lookaside list\n");

            g_dwIndex.set(data, 0L, 0);                                             // and g_dwIndex, 0

            for (int ebx = 0; ebx < 5; ebx++) {

                AddEntry();
                AddEntry();

                RemoveEntry();
            }

            DbgPrint("\nLookasideList: Free the rest to lookaside list\n");

            while (true) {

                RemoveEntry();

                if (lists.IsListEmpty(g_ListHead)) {
                    DbgPrint("LookasideList: Doubly linked list is empty\n\n");
                    break;
                }
            }

            lookaside.ExDeletePagedLookasideList(g_pPagedLookasideList());

            DbgPrint("LookasideList: Lookaside list deleted\n");

            pool.ExFreePool(g_pPagedLookasideList());

            DbgPrint("LookasideList: Nonpaged memory for lookaside list at address %08X released\n",
                    g_pPagedLookasideList());

        } else {
            DbgPrint("LookasideList: Couldn't allocate nonpaged memory for lookaside list control structure");
        }

        DbgPrint("LookasideList: Leaving DriverEntry\n");

        return NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR;
    }

    private int g_pPagedLookasideList() {
        return (int) g_pPagedLookasideList.get(data, 0L);
    }
}
