package dev.ringzero.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.AllocateFunctionEx;
import dev.ringzero.api.lookaside.FreeFunctionEx;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.SLists;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The {@code magazine} lookaside list: NT's list — same header, same counters, same depth rules — with a
 * per-thread magazine in front of the header's S-list, so the common allocate and free execute no
 * locked instruction.
 *
 * <h2>The layers (Bonwick and Adams 2001; SLUB's sheaves; jemalloc's tcache)</h2>
 * <pre>
 *   thread A ─ Magazine [e7 e3 e9 ·· ]   thread B ─ Magazine [e2 ·· ]     plain array LIFO, owner only
 *                  │ spill (oldest half) / refill (up to half a magazine), one CAS per batch
 *                  ▼
 *   header: SLIST_HEADER ListHead ── e5 → e1 → e8                          the depot: NT's S-list, in caller memory
 *                  │ miss / overflow
 *                  ▼
 *   Allocate / Free routines (the pool, or the driver's own)
 * </pre>
 * A magazine holds at most {@code cap = min(M, Depth)} entries ({@link #MAGAZINE_SIZE} M = 32), so the
 * balance-set manager still governs how much is cached, and Depth 0 — the verifier — caches nothing.
 *
 * <h2>Allocate and free, as NT counts them</h2>
 * The owner's hit path is: read the magazine's state (one volatile load, a plain load on x86), check
 * the count, move one slot, bump one counter. The slow path applies NT's rule to everything <em>this
 * thread</em> can see — its magazine plus the depot:
 * <pre>
 * allocate: TotalAllocates++                   free: TotalFrees++
 *   magazine non-empty: pop it (hit)             if magazine + depot >= Depth: FreeMisses++, Free(e)
 *   else take up to cap/2 from the depot (hit)   else: if the magazine is full, spill its older half
 *   else AllocateMisses++, Allocate(...)               to the depot; push e (hit)
 * </pre>
 * {@link Magazine#limit} = {@code min(cap, Depth - depot)}, recomputed on every slow path, lets the hit
 * path decide frees without reading the shared header. For one thread this is NT's list exactly — the
 * same hits, misses, counters and LIFO order (spills move the oldest entries, refills keep the depot's
 * order) — which the contract suite checks. With several threads each one's view is partial, as with
 * NT's per-processor lookaside lists: an entry cached in another thread's magazine is a miss here, and
 * up to {@code cap} entries per thread can sit above {@code Depth} in magazines.
 *
 * <h2>Counters</h2>
 * Each magazine counts in plain fields; {@link #fold()} adds the differences since the last fold into the
 * header's {@code TotalAllocates}, {@code AllocateMisses}, {@code TotalFrees} and {@code FreeMisses}. The
 * registry folds before every tuner scan, {@code !lookaside}, query, flush and delete, so NT's numbers
 * stay meaningful; between folds a driver reading its header directly sees the values of the last fold.
 *
 * <h2>Finding the calling thread's magazine</h2>
 * The NT-style routines pass only the header's address: the view finds the list (one-entry cache, then
 * the registry's index), the list finds the thread's magazine in a table indexed by
 * {@code Thread.threadId() & (length - 1)} — a field load, a mask and a compare, where a
 * {@code ThreadLocal.get()} costs a hash probe ({@code -Ddev.ringzero.lookaside.magazine.lookup=threadlocal}
 * switches to one, for comparison). Thread ids are never reused; a collision grows the table (to
 * {@value #MAX_TABLE} slots), beyond which the thread falls back to a {@code ThreadLocal}. A
 * {@link LookasideTap} is the thread's magazine itself and skips the lookup.
 *
 * <h2>Threads that end, and lists that end</h2>
 * Java has no thread-exit hook. Magazines keep their thread weakly; at each scan of the list the
 * balance-set manager ({@link #tick()}) claims the magazines of threads that have ended and moves their
 * entries to the depot. A flush or delete returns the caller's own magazine, the magazines of ended
 * threads and the depot to the Free routine, and flags the magazines of threads that live on: on a live
 * list each returns its entries at its thread's next operation; on a deleted one they are owed — the
 * thread returns them at its next call on the list (which then bug-checks, 0x50, as any use after delete),
 * or the balance-set manager does once the thread has ended ({@link #reapStranded()}). A magazine is only
 * ever drained by one party, through a CAS on its state. Purging or dropping a list discards its magazines
 * without calling anything.
 */
final class MagazineLookasideList extends RegisteredList {

    static final String NAME = "magazine";
    /** M: the most entries one magazine holds (and then only {@code min(M, Depth)}). */
    static final int MAGAZINE_SIZE = 32;
    /** Whether the NT-style routines find the thread's magazine through a ThreadLocal instead of the table. */
    static final boolean THREAD_LOCAL_LOOKUP =
            "threadlocal".equals(System.getProperty("dev.ringzero.lookaside.magazine.lookup"));
    static final int MAX_TABLE = 4096;
    private static final int INITIAL_TABLE = 16;

    private final LookasideSystem system;

    /**
     * Guards {@link #magazines}, table rebuilds, folds and revocation. Lock order: the registry's lock, then
     * this one (the registry folds, ticks and kills lists under its own); never the other way round.
     */
    private final Object lock = new Object();
    /** Every magazine not yet reaped, in creation order. Guarded by {@link #lock}. */
    private final List<Magazine> magazines = new ArrayList<>();
    /**
     * Magazines by {@code threadId & (length - 1)}. Rebuilt under {@link #lock}, read without it: a reader
     * uses a slot only if its (final) {@code ownerId} is its own id, so a magazine it finds was made by
     * itself and a stale table only sends it to the slow path.
     */
    private volatile Magazine[] table = new Magazine[INITIAL_TABLE];
    private static final java.lang.invoke.VarHandle TABLE;

    static {
        try {
            TABLE = java.lang.invoke.MethodHandles.lookup().findVarHandle(MagazineLookasideList.class, "table",
                    Magazine[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** The lookup for {@link #THREAD_LOCAL_LOOKUP}, and for threads that collide in a full-size table. */
    private final ThreadLocal<Magazine> local = new ThreadLocal<>();

    MagazineLookasideList(LookasideSystem system, int address, Owner owner, PoolAllocator pool, ListKind kind,
                          boolean paged, MemorySegment header, long blockEnd, AllocateFunctionEx allocateRoutine,
                          FreeFunctionEx freeRoutine) {
        super(address, owner, pool, kind, paged, header, blockEnd, allocateRoutine, freeRoutine);
        this.system = system;
    }

    @Override
    String implementation() {
        return NAME;
    }

    // ================================================================== the hit paths

    @Override
    int allocate() {
        return allocate(magazine());
    }

    @Override
    void free(int entry) {
        free(magazine(), entry);
    }

    /** {@code ExAllocateFrom...}: the owner's pop; see the class comment. */
    int allocate(Magazine m) {
        if (m.stateOpaque() == Magazine.ACTIVE) {
            int n = m.count;
            if (n > 0) {
                n--;
                m.count = n;
                m.totalAllocates++;
                MemorySegment s = m.segment(n);
                return s == null ? m.addresses[n] : memory.addressOf(s);
            }
        }
        return allocateSlow(m, "ExAllocateFromLookasideList");
    }

    /** {@code ExFreeTo...}: the owner's push. */
    void free(Magazine m, int entry) {
        if (m.stateOpaque() == Magazine.ACTIVE) {
            int n = m.count;
            if (n < m.limit) {
                m.addresses[n] = entry;
                if (m.segments[n] != null) { // usually null on this path: then no store and no GC barrier
                    m.segments[n] = null;
                }
                m.count = n + 1;
                m.totalFrees++;
                return;
            }
        }
        freeSlow(m, entry, null, "ExFreeToLookasideList");
    }

    /** A tap's allocate after its hit path missed: {@link Magazine#allocate()}. */
    MemorySegment allocateSegmentSlow(Magazine m) {
        int entry = allocateSlow(m, "LookasideTap.allocate");
        return entry == 0 ? MemorySegment.NULL : memory.resolve(entry, m.entrySize);
    }

    /** A slot's segment when only its address is cached (the entry came in through an NT-style free or the depot). */
    MemorySegment resolveSlot(Magazine m, int slot) {
        return memory.resolve(m.addresses[slot], m.entrySize);
    }

    /** A tap's free after its hit path could not take it: {@link Magazine#free(MemorySegment)}. */
    void freeSegmentSlow(Magazine m, MemorySegment entry) {
        if (entry.byteSize() != m.entrySize) {
            throw new IllegalArgumentException(String.format(
                    "LookasideTap.free: segment of %d bytes is not an entry of the list at %08X (entry size %d): %s",
                    entry.byteSize(), address, m.entrySize, entry));
        }
        freeSlow(m, memory.addressOf(entry), entry, "LookasideTap.free");
    }

    // ================================================================== the slow paths (owner only)

    private int allocateSlow(Magazine m, String routine) {
        serviceSignals(m, routine);
        m.totalAllocates++;
        int depth = LookasideHeader.depth(header);
        int cap = Math.min(MAGAZINE_SIZE, depth);
        int n = m.count;
        if (n == 0) {
            n = refill(m, Math.max(1, cap / 2));
        }
        if (n == 0) {
            m.limit = limit(cap, depth);
            m.allocateMisses++;
            return allocateFromRoutine();
        }
        n--;
        m.count = n;
        int entry = addressAt(m, n);
        m.segments[n] = null;
        m.limit = limit(cap, depth);
        return entry;
    }

    private void freeSlow(Magazine m, int entry, MemorySegment segment, String routine) {
        serviceSignals(m, routine);
        m.totalFrees++;
        int depth = LookasideHeader.depth(header);
        int cap = Math.min(MAGAZINE_SIZE, depth);
        if (m.count > cap) {
            spill(m, m.count - cap); // Depth shrank: keep at most cap here, the rest goes to the depot
        }
        int n = m.count;
        int depot = SLists.depth(header);
        if (n + depot >= depth) {
            // NT's FreeMiss: everything this thread can see is at Depth
            m.freeMisses++;
            m.limit = Math.max(0, Math.min(cap, depth - depot));
            freeRoutine.FreeEx(entry, address);
            return;
        }
        if (n >= cap) {
            // full, and the depot has room: the older half goes to the depot in one CAS
            spill(m, Math.max(1, n / 2));
            n = m.count;
        }
        m.addresses[n] = entry;
        m.segments[n] = segment;
        m.count = n + 1;
        m.limit = limit(cap, depth);
    }

    /** {@code min(cap, Depth - depot)}, at least the current count when the depot overshot (never negative). */
    private int limit(int cap, int depth) {
        return Math.max(0, Math.min(cap, depth - SLists.depth(header)));
    }

    /**
     * Handles what other threads asked of this magazine; returns normally only when it is
     * {@link Magazine#ACTIVE} again. A dead magazine (list deleted, purged or dropped) is drained or
     * forgotten first, then the call is a use of a list that is gone: 0x50.
     */
    private void serviceSignals(Magazine m, String routine) {
        int s = m.state;
        if (s == Magazine.ACTIVE) {
            return;
        }
        int cleared = m.clearSignals();
        if (cleared < 0) {
            s = m.state;
            if (s == Magazine.REVOKED && m.claim(Magazine.REVOKED)) {
                drainToFreeRoutine(m);
            } else if (s == Magazine.DISCARDED && m.claim(Magazine.DISCARDED)) {
                m.clear();
            }
            throw system.noLiveList(routine, address);
        }
        if ((cleared & Magazine.FLUSH) != 0) {
            drainToFreeRoutine(m);
        }
        if ((cleared & Magazine.RECHECK) != 0) {
            int cap = Math.min(MAGAZINE_SIZE, LookasideHeader.depth(header));
            if (m.count > cap) {
                spill(m, m.count - cap);
            }
        }
    }

    /** The system address of slot {@code i}: from its segment when it has one (then cached beside it). */
    private int addressAt(Magazine m, int i) {
        MemorySegment s = m.segment(i);
        if (s == null) {
            return m.addresses[i];
        }
        int a = memory.addressOf(s);
        m.addresses[i] = a;
        return a;
    }

    /** Takes up to {@code want} entries from the depot into the empty magazine, in the depot's order. */
    private int refill(Magazine m, int want) {
        int[] got = m.addresses;
        int n = SListChains.popChain(header, memory, got, Math.min(want, got.length));
        // popChain put the depot's first entry in got[0]; it must pop first, so it goes on top
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            int t = got[i];
            got[i] = got[j];
            got[j] = t;
        }
        Arrays.fill(m.segments, 0, n, null);
        m.count = n;
        return n;
    }

    /**
     * Moves the {@code k} oldest entries (the bottom of the magazine) to the depot in one CAS, keeping the
     * LIFO order: the newest of them becomes the depot's first entry.
     */
    private void spill(Magazine m, int k) {
        int n = m.count;
        int[] a = m.addresses;
        int previous = 0;
        for (int i = 0; i < k; i++) {
            int e = addressAt(m, i);
            if (i > 0) {
                memory.writeInt(e, previous); // e.Next = the older entry below it
            }
            previous = e;
        }
        SListChains.pushChain(header, memory, a[k - 1], a[0], k);
        System.arraycopy(a, k, a, 0, n - k);
        System.arraycopy(m.segments, k, m.segments, 0, n - k);
        Arrays.fill(m.segments, n - k, n, null);
        m.count = n - k;
    }

    /** Returns every entry of a magazine this thread owns (or has claimed) to the Free routine, newest first. */
    private void drainToFreeRoutine(Magazine m) {
        int n = m.count;
        int[] entries = new int[n]; // not a shared scratch array: a Free routine may re-enter (drain another list)
        for (int i = 0; i < n; i++) {
            entries[i] = addressAt(m, n - 1 - i);
        }
        m.clear();
        for (int i = 0; i < n; i++) {
            freeRoutine.FreeEx(entries[i], address);
        }
    }

    /** Moves every entry of a magazine claimed from a dead thread to the depot (entries stay cached). */
    private void drainToDepot(Magazine m) {
        if (m.count > 0) {
            spill(m, m.count);
        }
        m.clear();
    }

    // ================================================================== finding the thread's magazine

    /** The calling thread's magazine, made on first use. */
    Magazine magazine() {
        Thread t = Thread.currentThread();
        if (THREAD_LOCAL_LOOKUP) {
            Magazine m = local.get();
            return m != null ? m : magazineSlow(t);
        }
        long id = t.threadId();
        // opaque: no ordering needed, see the field's comment (a slot is used only by the thread that made it)
        Magazine[] tab = (Magazine[]) TABLE.getOpaque(this);
        Magazine m = tab[(int) id & (tab.length - 1)];
        if (m != null && m.ownerId == id) {
            return m;
        }
        return magazineSlow(t);
    }

    private Magazine magazineSlow(Thread t) {
        long id = t.threadId();
        Magazine m = local.get();
        if (m != null && m.ownerId == id) {
            return m;
        }
        synchronized (lock) {
            if (isLive()) {
                return findOrMakeMagazine(t, id);
            }
        }
        // outside the list's lock: the registry's lock is taken before a list's, never after
        throw system.noLiveList("ExAllocateFromLookasideList", address);
    }

    /** Under the lock, the list live. */
    private Magazine findOrMakeMagazine(Thread t, long id) {
        Magazine m = null;
        for (Magazine existing : magazines) {
            if (existing.ownerId == id && (existing.state & Magazine.DEAD_STATES) == 0) {
                m = existing;
                break;
            }
        }
        if (m == null) {
            int depth = LookasideHeader.depth(header);
            m = Magazine.create(this, t, LookasideHeader.size(header), MAGAZINE_SIZE,
                    limit(Math.min(MAGAZINE_SIZE, depth), depth));
            magazines.add(m);
        }
        if (THREAD_LOCAL_LOOKUP || !placeInTable(m)) {
            local.set(m);
        }
        return m;
    }

    /** Puts {@code m} in the table, growing it past collisions with live magazines; false when it cannot. Under the lock. */
    private boolean placeInTable(Magazine m) {
        Magazine[] tab = table;
        int i = (int) m.ownerId & (tab.length - 1);
        if (tab[i] == null || tab[i] == m || (tab[i].state & Magazine.DEAD_STATES) != 0) {
            Magazine[] copy = tab.clone();
            copy[i] = m;
            table = copy;
            return true;
        }
        for (int size = tab.length * 2; size <= MAX_TABLE; size *= 2) {
            Magazine[] grown = rebuild(size);
            if (grown != null) {
                table = grown;
                return true;
            }
        }
        return false;
    }

    /** A table of {@code size} slots holding every live magazine, or null when two collide. Under the lock. */
    private Magazine[] rebuild(int size) {
        Magazine[] tab = new Magazine[size];
        for (Magazine m : magazines) {
            if ((m.state & Magazine.DEAD_STATES) != 0) {
                continue;
            }
            int i = (int) m.ownerId & (size - 1);
            if (tab[i] != null) {
                return null;
            }
            tab[i] = m;
        }
        return tab;
    }

    /** The calling thread's magazine if it has one; never makes one. */
    private Magazine ownMagazine() {
        long id = Thread.currentThread().threadId();
        synchronized (lock) {
            for (Magazine m : magazines) {
                if (m.ownerId == id) {
                    return m;
                }
            }
        }
        return null;
    }

    // ================================================================== the tap

    /**
     * The calling thread's magazine <em>is</em> its tap: an allocate or free through it is the hit path
     * alone — no thread-local lookup, no header address to resolve, no extra indirection — and hands back
     * the segments it was given. Every tap a thread asks for on this list is the same object.
     */
    @Override
    LookasideTap tap() {
        return magazine();
    }

    IllegalStateException wrongThread(Magazine m, String op) {
        Thread owner = m.owner.get();
        return new IllegalStateException(String.format(
                "LookasideTap.%s: this tap on the lookaside list at %08X belongs to thread %s, not %s", op, address,
                owner != null ? owner.getName() : "#" + m.ownerId, Thread.currentThread().getName()));
    }

    // ================================================================== the registry's and the tuner's side

    @Override
    void fold() {
        synchronized (lock) {
            int totalAllocates = 0;
            int allocateMisses = 0;
            int totalFrees = 0;
            int freeMisses = 0;
            for (Magazine m : magazines) {
                // racy reads of the owners' plain counters: benign, see Magazine
                int v = m.totalAllocates;
                totalAllocates += v - m.foldedTotalAllocates;
                m.foldedTotalAllocates = v;
                v = m.allocateMisses;
                allocateMisses += v - m.foldedAllocateMisses;
                m.foldedAllocateMisses = v;
                v = m.totalFrees;
                totalFrees += v - m.foldedTotalFrees;
                m.foldedTotalFrees = v;
                v = m.freeMisses;
                freeMisses += v - m.foldedFreeMisses;
                m.foldedFreeMisses = v;
            }
            if ((totalAllocates | allocateMisses | totalFrees | freeMisses) != 0) {
                // only folds write these fields of a magazine list's header, and folds hold the lock
                MemorySegment h = header;
                LookasideHeader.setTotalAllocates(h, LookasideHeader.totalAllocates(h) + totalAllocates);
                LookasideHeader.setAllocateMisses(h, LookasideHeader.allocateMisses(h) + allocateMisses);
                LookasideHeader.setTotalFrees(h, LookasideHeader.totalFrees(h) + totalFrees);
                LookasideHeader.setFreeMisses(h, LookasideHeader.freeMisses(h) + freeMisses);
            }
        }
    }

    @Override
    int cachedEntries() {
        int n = SLists.depth(header);
        synchronized (lock) {
            for (Magazine m : magazines) {
                if ((m.state & Magazine.DEAD_STATES) == 0) {
                    n += m.count; // racy read, benign: a count from a moment ago
                }
            }
        }
        return n;
    }

    /** Each scan of the list: the magazines of threads that ended give their entries to the depot. */
    @Override
    void tick() {
        synchronized (lock) {
            boolean removed = false;
            for (Iterator<Magazine> it = magazines.iterator(); it.hasNext(); ) {
                Magazine m = it.next();
                int s = m.state;
                if ((s & Magazine.DEAD_STATES) == 0 && m.ownerDead() && m.claim(s)) {
                    foldOne(m);
                    drainToDepot(m);
                    it.remove();
                    removed = true;
                }
            }
            if (removed) {
                rebuildTable();
            }
        }
    }

    @Override
    void depthChanged() {
        synchronized (lock) {
            for (Magazine m : magazines) {
                m.signal(Magazine.RECHECK);
            }
        }
    }

    @Override
    void kill(boolean deleted) {
        super.kill(deleted);
        synchronized (lock) {
            for (Magazine m : magazines) {
                m.revoke(deleted ? Magazine.REVOKED : Magazine.DISCARDED);
            }
        }
    }

    /**
     * {@code ExFlushLookasideListEx}, and the second half of a delete: the caller's own magazine, those of
     * threads that ended, then the depot go to the Free routine; the magazines of threads that live on
     * are flagged (see the class comment).
     */
    @Override
    void flush() {
        fold();
        boolean live = isLive();
        Magazine own = ownMagazine();
        if (own != null) {
            if (live) {
                drainToFreeRoutine(own);
            } else if (own.claim(Magazine.REVOKED)) {
                drainToFreeRoutine(own);
            }
        }
        List<Magazine> dead = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<Magazine> it = magazines.iterator(); it.hasNext(); ) {
                Magazine m = it.next();
                if (m == own) {
                    if (!live) {
                        it.remove();
                    }
                    continue;
                }
                int s = m.state;
                if ((s & (Magazine.DRAINED | Magazine.DISCARDED)) != 0) {
                    it.remove();
                } else if (m.ownerDead() && m.claim(s)) {
                    dead.add(m);
                    it.remove();
                } else if (live) {
                    m.signal(Magazine.FLUSH);
                }
            }
            if (live) {
                rebuildTable();
            }
        }
        for (Magazine m : dead) {
            drainToFreeRoutine(m);
        }
        super.flush();
    }

    @Override
    boolean hasStranded() {
        synchronized (lock) {
            return !magazines.isEmpty();
        }
    }

    /** After a delete: the magazines of threads that have since ended return their entries. True when none are left. */
    @Override
    boolean reapStranded() {
        List<Magazine> dead = new ArrayList<>();
        boolean empty;
        synchronized (lock) {
            for (Iterator<Magazine> it = magazines.iterator(); it.hasNext(); ) {
                Magazine m = it.next();
                int s = m.state;
                if (s != Magazine.REVOKED) {
                    it.remove(); // drained by its owner, or discarded
                } else if (m.ownerDead() && m.claim(Magazine.REVOKED)) {
                    dead.add(m);
                    it.remove();
                }
            }
            empty = magazines.isEmpty();
        }
        for (Magazine m : dead) {
            drainToFreeRoutine(m);
        }
        return empty;
    }

    @Override
    void discardStranded() {
        synchronized (lock) {
            for (Magazine m : magazines) {
                m.discard();
            }
            magazines.clear();
        }
    }

    /** Magazines not yet reaped: for the concurrency tests. */
    List<Magazine> magazines() {
        synchronized (lock) {
            return List.copyOf(magazines);
        }
    }

    private void foldOne(Magazine m) {
        MemorySegment h = header;
        int v = m.totalAllocates;
        LookasideHeader.setTotalAllocates(h, LookasideHeader.totalAllocates(h) + v - m.foldedTotalAllocates);
        m.foldedTotalAllocates = v;
        v = m.allocateMisses;
        LookasideHeader.setAllocateMisses(h, LookasideHeader.allocateMisses(h) + v - m.foldedAllocateMisses);
        m.foldedAllocateMisses = v;
        v = m.totalFrees;
        LookasideHeader.setTotalFrees(h, LookasideHeader.totalFrees(h) + v - m.foldedTotalFrees);
        m.foldedTotalFrees = v;
        v = m.freeMisses;
        LookasideHeader.setFreeMisses(h, LookasideHeader.freeMisses(h) + v - m.foldedFreeMisses);
        m.foldedFreeMisses = v;
    }

    /** Under the lock. */
    private void rebuildTable() {
        for (int size = Math.max(INITIAL_TABLE, table.length); size <= MAX_TABLE; size *= 2) {
            Magazine[] t = rebuild(size);
            if (t != null) {
                table = t;
                return;
            }
        }
        table = new Magazine[table.length]; // collisions everywhere: the slow path finds them (ThreadLocal)
    }
}
