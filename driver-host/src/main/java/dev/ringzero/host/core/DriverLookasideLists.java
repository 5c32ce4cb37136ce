package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.AllocateFunction;
import dev.ringzero.api.lookaside.AllocateFunctionEx;
import dev.ringzero.api.lookaside.FreeFunction;
import dev.ringzero.api.lookaside.FreeFunctionEx;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideProvider;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.PoolAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One driver's lookaside routines: initializes new lists with the executive's selected
 * implementation and routes every later call on a list to the implementation that made it, so an
 * allocator swap never moves a live list. Just before a list is deleted it records the list's
 * {@code !lookaside} dump for the host's report.
 */
final class DriverLookasideLists implements LookasideLists {

    private final Executive executive;
    private final Owner owner;
    private final PoolAllocator pool;
    /** This driver's view of each implementation, made on first use. */
    private final Map<String, LookasideLists> views = new HashMap<>();
    /** Which view made each live list of this driver, by header address. */
    private final Map<Integer, LookasideLists> byHeader = new ConcurrentHashMap<>();
    private final List<String> finalDumps;
    /** Set once, at unload; volatile so a thread the driver left behind sees it at its next call. */
    private volatile boolean revoked;

    DriverLookasideLists(Executive executive, Owner owner, PoolAllocator pool, List<String> finalDumps) {
        this.executive = executive;
        this.owner = owner;
        this.pool = pool;
        this.finalDumps = finalDumps;
    }

    /** The driver is unloaded: every later call is 0xCE (see {@link dev.ringzero.api.BugCheck#callAfterUnload}). */
    void revoke() {
        revoked = true;
    }

    private void checkNotRevoked(String routine, int lookaside, boolean write) {
        if (revoked) {
            throw BugCheck.callAfterUnload(owner, routine, lookaside, write);
        }
    }

    private synchronized LookasideLists selectedView() {
        LookasideProvider p = executive.selectedLookaside();
        return views.computeIfAbsent(p.name(), n -> p.forDriver(owner, pool));
    }

    /**
     * The view that made the list at {@code lookaside}; the selected one for an unknown header (it bug-checks).
     * 0xCE once the driver is unloaded.
     */
    private LookasideLists viewOf(int lookaside, String routine, boolean write) {
        checkNotRevoked(routine, lookaside, write);
        LookasideLists v = byHeader.get(lookaside);
        return v != null ? v : selectedView();
    }

    private void captureFinalDump(int lookaside) {
        if (byHeader.containsKey(lookaside)) {
            try {
                String dump = executive.lookasideRegistry().render(lookaside);
                finalDumps.add(dump);
            } catch (RuntimeException notRenderable) {
                // the delete below reports what is wrong with the list
            }
        }
    }

    @Override
    public void ExInitializePagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free, int flags,
                                               long size, int tag, int depth) {
        checkNotRevoked("ExInitializePagedLookasideList", lookaside, true);
        LookasideLists v = selectedView();
        v.ExInitializePagedLookasideList(lookaside, allocate, free, flags, size, tag, depth);
        byHeader.put(lookaside, v);
    }

    @Override
    public void ExInitializeNPagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free, int flags,
                                                long size, int tag, int depth) {
        checkNotRevoked("ExInitializeNPagedLookasideList", lookaside, true);
        LookasideLists v = selectedView();
        v.ExInitializeNPagedLookasideList(lookaside, allocate, free, flags, size, tag, depth);
        byHeader.put(lookaside, v);
    }

    @Override
    public NtStatus ExInitializeLookasideListEx(int lookaside, AllocateFunctionEx allocate, FreeFunctionEx free,
                                                int poolType, int flags, long size, int tag, int depth) {
        checkNotRevoked("ExInitializeLookasideListEx", lookaside, true);
        LookasideLists v = selectedView();
        NtStatus status = v.ExInitializeLookasideListEx(lookaside, allocate, free, poolType, flags, size, tag, depth);
        if (NtStatus.NT_SUCCESS(status)) {
            byHeader.put(lookaside, v);
        }
        return status;
    }

    @Override
    public int ExAllocateFromPagedLookasideList(int lookaside) {
        return viewOf(lookaside, "ExAllocateFromPagedLookasideList", true).ExAllocateFromPagedLookasideList(lookaside);
    }

    @Override
    public void ExFreeToPagedLookasideList(int lookaside, int entry) {
        viewOf(lookaside, "ExFreeToPagedLookasideList", true).ExFreeToPagedLookasideList(lookaside, entry);
    }

    @Override
    public void ExDeletePagedLookasideList(int lookaside) {
        captureFinalDump(lookaside);
        viewOf(lookaside, "ExDeletePagedLookasideList", true).ExDeletePagedLookasideList(lookaside);
        byHeader.remove(lookaside);
    }

    @Override
    public int ExAllocateFromNPagedLookasideList(int lookaside) {
        return viewOf(lookaside, "ExAllocateFromNPagedLookasideList", true).ExAllocateFromNPagedLookasideList(lookaside);
    }

    @Override
    public void ExFreeToNPagedLookasideList(int lookaside, int entry) {
        viewOf(lookaside, "ExFreeToNPagedLookasideList", true).ExFreeToNPagedLookasideList(lookaside, entry);
    }

    @Override
    public void ExDeleteNPagedLookasideList(int lookaside) {
        captureFinalDump(lookaside);
        viewOf(lookaside, "ExDeleteNPagedLookasideList", true).ExDeleteNPagedLookasideList(lookaside);
        byHeader.remove(lookaside);
    }

    @Override
    public int ExAllocateFromLookasideListEx(int lookaside) {
        return viewOf(lookaside, "ExAllocateFromLookasideListEx", true).ExAllocateFromLookasideListEx(lookaside);
    }

    @Override
    public void ExFreeToLookasideListEx(int lookaside, int entry) {
        viewOf(lookaside, "ExFreeToLookasideListEx", true).ExFreeToLookasideListEx(lookaside, entry);
    }

    @Override
    public void ExDeleteLookasideListEx(int lookaside) {
        captureFinalDump(lookaside);
        viewOf(lookaside, "ExDeleteLookasideListEx", true).ExDeleteLookasideListEx(lookaside);
        byHeader.remove(lookaside);
    }

    @Override
    public void ExFlushLookasideListEx(int lookaside) {
        viewOf(lookaside, "ExFlushLookasideListEx", true).ExFlushLookasideListEx(lookaside);
    }

    @Override
    public LookasideTap tap(int lookaside) {
        return viewOf(lookaside, "tap", false).tap(lookaside);
    }

    @Override
    public LookasideInfo query(int lookaside) {
        return viewOf(lookaside, "query", false).query(lookaside);
    }

    @Override
    public Owner owner() {
        return owner;
    }

    @Override
    public String implementation() {
        return selectedView().implementation();
    }

    /** The implementations this driver's live lists belong to (for the shell's refusal to remove one). */
    List<String> implementationsInUse() {
        List<String> names = new ArrayList<>();
        byHeader.values().forEach(v -> {
            if (!names.contains(v.implementation())) names.add(v.implementation());
        });
        return names;
    }
}
