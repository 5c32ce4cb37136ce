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
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.lookaside.LookasideProvider;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One driver's lookaside routines: initializes new lists with the executive's selected implementation
 * and sends every later call on a list straight to one view, whose lookup in the lookaside registry's
 * address index reaches the list's own implementation (an allocator swap never moves a live list).
 * The host keeps no map of its own: the registry's index is the one routing, so the driver's calls cost
 * what the provider's view costs. Just before a list is deleted it records the list's {@code !lookaside}
 * dump for the host's report.
 *
 * <p>At unload the view every call goes through is swapped for {@link Revoked}, whose every routine is
 * {@link BugCheck#callAfterUnload 0xCE} charged to the driver: the revocation costs the hit path nothing
 * beyond the load of that reference, which it makes anyway.
 */
final class DriverLookasideLists implements LookasideLists {

    private final Executive executive;
    private final Owner owner;
    private final PoolAllocator pool;
    /** This driver's view of each implementation, made on first use. Guarded by {@code this}. */
    private final Map<String, LookasideLists> views = new HashMap<>();
    private final List<String> finalDumps;
    /**
     * The view every call on an existing list goes through: that of the implementation selected at the
     * driver's first lookaside call ({@code null} before it), or {@link Revoked} once the driver is unloaded.
     * Written under {@code this}; read opaque on the call path ({@link #route()}): a plain {@code mov} on x86 that
     * is never hoisted out of a loop, so a thread the driver left behind sees the swap at its next call, without
     * the acquire ordering a volatile read would impose on the view's own loads that follow.
     */
    private volatile LookasideLists route;
    private static final VarHandle ROUTE;

    static {
        try {
            ROUTE = MethodHandles.lookup().findVarHandle(DriverLookasideLists.class, "route", LookasideLists.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The driver's revocation, which the host sets at unload and then calls {@link #revoke()}. */
    private final Revocation revocation;

    DriverLookasideLists(Executive executive, Owner owner, PoolAllocator pool, List<String> finalDumps,
                         Revocation revocation) {
        this.executive = executive;
        this.owner = owner;
        this.pool = pool;
        this.finalDumps = finalDumps;
        this.revocation = revocation;
    }

    /**
     * The driver is unloaded (its {@link Revocation} is set): every later call is 0xCE (see
     * {@link BugCheck#callAfterUnload}). The calls on a list learn it from the swapped route alone.
     */
    synchronized void revoke() {
        route = new Revoked(owner);
    }

    private LookasideLists route() {
        LookasideLists r = (LookasideLists) ROUTE.getOpaque(this);
        return r != null ? r : bind();
    }

    private synchronized LookasideLists bind() {
        if (route == null) {
            route = selectedView();
        }
        return route;
    }

    private synchronized LookasideLists selectedView() {
        LookasideProvider p = executive.selectedLookaside();
        return views.computeIfAbsent(p.name(), n -> p.forDriver(owner, pool));
    }

    /** 0xCE once the driver is unloaded, for a routine that must not start anything then (init, delete). */
    private void checkAlive(String routine, int lookaside) {
        revocation.check(routine, lookaside, true);
        if (route() instanceof Revoked dead) {
            throw dead.call(routine, lookaside, true);
        }
    }

    /** The selected implementation's view, which makes a new list; 0xCE once unloaded. */
    private LookasideLists forNewList(String routine, int lookaside) {
        checkAlive(routine, lookaside);
        return selectedView();
    }

    private void captureFinalDump(int lookaside) {
        if (executive.lookasideRegistry().find(lookaside).filter(l -> l.owner().equals(owner)).isPresent()) {
            try {
                finalDumps.add(executive.lookasideRegistry().render(lookaside));
            } catch (RuntimeException notRenderable) {
                // the delete below reports what is wrong with the list
            }
        }
    }

    @Override
    public void ExInitializePagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free, int flags,
                                               long size, int tag, int depth) {
        forNewList("ExInitializePagedLookasideList", lookaside)
                .ExInitializePagedLookasideList(lookaside, allocate, free, flags, size, tag, depth);
    }

    @Override
    public void ExInitializeNPagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free, int flags,
                                                long size, int tag, int depth) {
        forNewList("ExInitializeNPagedLookasideList", lookaside)
                .ExInitializeNPagedLookasideList(lookaside, allocate, free, flags, size, tag, depth);
    }

    @Override
    public NtStatus ExInitializeLookasideListEx(int lookaside, AllocateFunctionEx allocate, FreeFunctionEx free,
                                                int poolType, int flags, long size, int tag, int depth) {
        return forNewList("ExInitializeLookasideListEx", lookaside)
                .ExInitializeLookasideListEx(lookaside, allocate, free, poolType, flags, size, tag, depth);
    }

    @Override
    public int ExAllocateFromPagedLookasideList(int lookaside) {
        return route().ExAllocateFromPagedLookasideList(lookaside);
    }

    @Override
    public void ExFreeToPagedLookasideList(int lookaside, int entry) {
        route().ExFreeToPagedLookasideList(lookaside, entry);
    }

    @Override
    public void ExDeletePagedLookasideList(int lookaside) {
        checkAlive("ExDeletePagedLookasideList", lookaside);
        captureFinalDump(lookaside);
        route().ExDeletePagedLookasideList(lookaside);
    }

    @Override
    public int ExAllocateFromNPagedLookasideList(int lookaside) {
        return route().ExAllocateFromNPagedLookasideList(lookaside);
    }

    @Override
    public void ExFreeToNPagedLookasideList(int lookaside, int entry) {
        route().ExFreeToNPagedLookasideList(lookaside, entry);
    }

    @Override
    public void ExDeleteNPagedLookasideList(int lookaside) {
        checkAlive("ExDeleteNPagedLookasideList", lookaside);
        captureFinalDump(lookaside);
        route().ExDeleteNPagedLookasideList(lookaside);
    }

    @Override
    public int ExAllocateFromLookasideListEx(int lookaside) {
        return route().ExAllocateFromLookasideListEx(lookaside);
    }

    @Override
    public void ExFreeToLookasideListEx(int lookaside, int entry) {
        route().ExFreeToLookasideListEx(lookaside, entry);
    }

    @Override
    public void ExDeleteLookasideListEx(int lookaside) {
        checkAlive("ExDeleteLookasideListEx", lookaside);
        captureFinalDump(lookaside);
        route().ExDeleteLookasideListEx(lookaside);
    }

    @Override
    public void ExFlushLookasideListEx(int lookaside) {
        route().ExFlushLookasideListEx(lookaside);
    }

    @Override
    public LookasideTap tap(int lookaside) {
        return route().tap(lookaside);
    }

    @Override
    public LookasideInfo query(int lookaside) {
        return route().query(lookaside);
    }

    @Override
    public Owner owner() {
        return owner;
    }

    @Override
    public String implementation() {
        return selectedView().implementation();
    }

    /** The implementations this driver's live lists belong to (for the shell's refusal to remove one), from the registry. */
    List<String> implementationsInUse() {
        return executive.lookasideRegistry().ownedBy(owner).stream().map(LookasideInfo::implementation).distinct().toList();
    }

    /** What a driver's lookaside routines are after its unload: each one is 0xCE charged to it and does nothing. */
    private record Revoked(Owner owner) implements LookasideLists {

        BugCheck call(String routine, int lookaside, boolean write) {
            return BugCheck.callAfterUnload(owner, routine, lookaside, write);
        }

        @Override
        public void ExInitializePagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free,
                                                   int flags, long size, int tag, int depth) {
            throw call("ExInitializePagedLookasideList", lookaside, true);
        }

        @Override
        public void ExInitializeNPagedLookasideList(int lookaside, AllocateFunction allocate, FreeFunction free,
                                                    int flags, long size, int tag, int depth) {
            throw call("ExInitializeNPagedLookasideList", lookaside, true);
        }

        @Override
        public NtStatus ExInitializeLookasideListEx(int lookaside, AllocateFunctionEx allocate, FreeFunctionEx free,
                                                    int poolType, int flags, long size, int tag, int depth) {
            throw call("ExInitializeLookasideListEx", lookaside, true);
        }

        @Override
        public int ExAllocateFromPagedLookasideList(int lookaside) {
            throw call("ExAllocateFromPagedLookasideList", lookaside, true);
        }

        @Override
        public void ExFreeToPagedLookasideList(int lookaside, int entry) {
            throw call("ExFreeToPagedLookasideList", lookaside, true);
        }

        @Override
        public void ExDeletePagedLookasideList(int lookaside) {
            throw call("ExDeletePagedLookasideList", lookaside, true);
        }

        @Override
        public int ExAllocateFromNPagedLookasideList(int lookaside) {
            throw call("ExAllocateFromNPagedLookasideList", lookaside, true);
        }

        @Override
        public void ExFreeToNPagedLookasideList(int lookaside, int entry) {
            throw call("ExFreeToNPagedLookasideList", lookaside, true);
        }

        @Override
        public void ExDeleteNPagedLookasideList(int lookaside) {
            throw call("ExDeleteNPagedLookasideList", lookaside, true);
        }

        @Override
        public int ExAllocateFromLookasideListEx(int lookaside) {
            throw call("ExAllocateFromLookasideListEx", lookaside, true);
        }

        @Override
        public void ExFreeToLookasideListEx(int lookaside, int entry) {
            throw call("ExFreeToLookasideListEx", lookaside, true);
        }

        @Override
        public void ExDeleteLookasideListEx(int lookaside) {
            throw call("ExDeleteLookasideListEx", lookaside, true);
        }

        @Override
        public void ExFlushLookasideListEx(int lookaside) {
            throw call("ExFlushLookasideListEx", lookaside, true);
        }

        @Override
        public LookasideTap tap(int lookaside) {
            throw call("tap", lookaside, false);
        }

        @Override
        public LookasideInfo query(int lookaside) {
            throw call("query", lookaside, false);
        }

        @Override
        public String implementation() {
            throw call("implementation", 0, false);
        }
    }
}
