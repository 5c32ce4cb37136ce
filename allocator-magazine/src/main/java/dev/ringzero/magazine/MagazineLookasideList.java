package dev.ringzero.magazine;

import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.SListChains;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code magazine} lookaside list's policy ({@link LookasideCache}): NT's list — same header, same counters,
 * same depth rules — with magazines in front of the header's S-list, so the common allocate and free execute no locked instruction,
 * on platform and virtual threads alike.
 *
 * <h2>The layers (Bonwick and Adams 2001; SLUB's sheaves; jemalloc's tcache)</h2>
 * <pre>
 *   stripe 0 ─ Magazine [e7 e3 e9 ·· ] (thread A)   stripe 1 ─ Magazine [e2 ·· ] (thread B)   ...   plain array LIFO, owner only
 *                  │ spill (oldest half) / refill (up to half a magazine), one CAS per batch
 *                  ▼
 *   header: SLIST_HEADER ListHead ── e5 → e1 → e8                          the depot: NT's S-list, in caller memory
 *                  │ miss / overflow
 *                  ▼
 *   Allocate / Free routines (the pool, or the driver's own)
 * </pre>
 * The magazines sit in a fixed number of stripes, about two per core ({@link MagazineStripes}: which thread
 * uses which). A thread adopts the magazine of its stripe with one CAS and keeps it while it lives; a
 * virtual thread that ends leaves the magazine, entries and all, to the next thread on that stripe. A
 * magazine holds at most {@code cap = min(M, Depth)} entries ({@link #MAGAZINE_SIZE} M = 32), so the
 * balance-set manager still governs how much is cached, and Depth 0 — the verifier — caches nothing.
 *
 * <h2>Allocate and free, as NT counts them</h2>
 * The owner's hit path is: read the magazine's state (an opaque load, a plain load on x86), check the
 * count, move one slot, bump one counter. The slow path applies NT's rule to everything <em>this
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
 * NT's per-processor lookaside lists: an entry cached in another stripe's magazine is a miss here. A thread
 * that finds every stripe near its own owned by live threads works on the depot directly, as {@code nt}.
 *
 * <h2>Memory: what a list can cache</h2>
 * At Depth {@code D} a list caches at most {@link #maxCached(int) S × min(M, D) + D} entries, S the number
 * of stripes — fewer than 4 × cores, so at most {@code D × 4 × cores} — at every moment and whatever the
 * number of threads: each of the S magazines holds at most {@code min(M, D)}, and every push into the depot
 * is refused when it would take the depot above {@code D} ({@link SListChains#pushChainBelowDepth},
 * {@link SListChains#pushBelowDepth}). Entries move between a magazine and the depot, never appear. When the
 * tuner lowers Depth, nothing is freed at once (NT does not trim its S-list either): the magazines trim to
 * the new cap at their next operation, spilling the excess to the depot, and the total only falls until it
 * is within the new bound.
 *
 * <h2>Counters, threads that end, lists that end</h2>
 * Each magazine counts in plain fields, folded into the header before every scan, query, flush and delete
 * ({@link MagazineCounters}). A magazine whose owner has ended passes to the next thread that lands on its
 * stripe, or gives its entries to the depot at the balance-set manager's next scan; a flush returns the
 * caller's magazine, and every magazine no live thread owns, to the Free routine and flags the rest; a
 * delete strands the entries of threads that live on until their next call or their end
 * ({@link MagazineReaper}). Purging or dropping a list discards its magazines without calling anything.
 */
final class MagazineLookasideList implements LookasideCache {

    static final String NAME = "magazine";
    /** M: the most entries one magazine holds (and then only {@code min(M, Depth)}). */
    static final int MAGAZINE_SIZE = 32;

    static {
        // Loaded and initialized here, by the thread that first makes a magazine list, rather than by the first
        // thread to make a magazine or to refill one: a virtual thread that loads a class waits on the class
        // loader with a native frame on its stack, and that pins its carrier (JFR: jdk.VirtualThreadPinned,
        // "Freeze or preempt failed"; seen in W6 before this).
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            lookup.ensureInitialized(Magazine.Padded.class);
            lookup.ensureInitialized(SListChains.class);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The executive's side of the list: header, routines, liveness. */
    private final LookasideListHandle list;
    /** The header's system address. */
    final int address;
    final MemorySegment header;
    private final SystemMemory memory;
    private final SLists slists;
    /**
     * The calling thread's magazine the NT-style allocate or free found last: a hit then skips the stripe lookup.
     * Plain field, racy and benign: a magazine's {@code list} is final, a hit is taken only by the magazine's owner
     * (a thread only ever finds itself in {@link Magazine#owner} if it put itself there, and a live owner keeps its
     * magazine) while the magazine is {@link Magazine#ACTIVE} — which it stops being when the list is deleted,
     * purged or dropped, and when another thread signals it — a state its hit path loads anyway. Several threads
     * on one list: the first one's magazine stays while it is active; the others look up their stripe.
     */
    private Magazine lastMagazine;
    /** The magazines, and which thread uses which. */
    final MagazineStripes stripes;
    /** The counts of the magazines and of the direct path, on their way to the header. */
    private final MagazineCounters counters = new MagazineCounters();
    /** Threads that end, lists that end: the balance-set manager's, a flush's and a delete's side. */
    private final MagazineReaper reaper;
    /** Serializes folds: only folds write the header's four counters of a {@code magazine} list. */
    private final Object foldLock = new Object();
    /** The tap of a thread that found no magazine free: every operation looks again, else takes the depot. */
    private final LookasideTap directTap = new DirectTap();

    MagazineLookasideList(LookasideListHandle list) {
        this(list, MagazineStripes.stripesFor(Runtime.getRuntime().availableProcessors()));
    }

    /** With {@code stripes} magazines (a power of two) instead of {@link MagazineStripes#stripesFor the cores' number}. */
    MagazineLookasideList(LookasideListHandle list, int stripes) {
        this.list = list;
        this.address = list.address();
        this.header = list.header();
        this.memory = list.memory();
        this.slists = new SLists(memory);
        this.stripes = new MagazineStripes(this, stripes);
        this.reaper = new MagazineReaper(this);
    }

    /** Whether the list is still live (the executive clears it once, before {@link #listGone}). */
    boolean isLive() {
        return list.isLive();
    }

    /**
     * The most entries the list can cache at Depth {@code depth}: every stripe's magazine full to
     * {@code min(M, depth)} and the depot at {@code depth}; at most {@code depth × 4 × cores}, since there
     * are fewer than 4 × cores stripes. See "Memory" in the class comment.
     */
    int maxCached(int depth) {
        return stripes.count() * Math.min(MAGAZINE_SIZE, depth) + depth;
    }

    // ================================================================== the hit paths

    @Override
    public int allocate() {
        Magazine m = lastMagazine;
        if (m != null && m.owner == Thread.currentThread() && m.stateOpaque() == Magazine.ACTIVE) {
            return allocate(m);
        }
        m = stripes.find(Thread.currentThread());
        if (m == null) {
            return allocateDirect("ExAllocateFromLookasideList");
        }
        remember(m);
        return allocate(m);
    }

    @Override
    public void free(int entry) {
        Magazine m = lastMagazine;
        if (m != null && m.owner == Thread.currentThread() && m.stateOpaque() == Magazine.ACTIVE) {
            free(m, entry);
            return;
        }
        m = stripes.find(Thread.currentThread());
        if (m == null) {
            freeDirect(entry, "ExFreeToLookasideList");
            return;
        }
        remember(m);
        free(m, entry);
    }

    /** Remembers {@code m} unless another thread's active magazine is remembered already. */
    private void remember(Magazine m) {
        Magazine held = lastMagazine;
        if (held != m && (held == null || held.stateOpaque() != Magazine.ACTIVE)) {
            lastMagazine = m;
        }
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
        checkEntrySize(entry, m.entrySize);
        freeSlow(m, memory.addressOf(entry), entry, "LookasideTap.free");
    }

    private void checkEntrySize(MemorySegment entry, long entrySize) {
        if (entry.byteSize() != entrySize) {
            throw new IllegalArgumentException(String.format(
                    "LookasideTap.free: segment of %d bytes is not an entry of the list at %08X (entry size %d): %s",
                    entry.byteSize(), address, entrySize, entry));
        }
    }

    // ================================================================== no magazine free: the depot itself

    /** NT's allocate on the depot, for a thread that found every stripe of its window taken. */
    private int allocateDirect(String routine) {
        if (!isLive()) {
            throw list.noLiveList(routine);
        }
        int entry = slists.pop(header);
        counters.directAllocate(entry == 0);
        return entry != 0 ? entry : list.allocateFromRoutine();
    }

    /** NT's free on the depot: cached only below Depth, decided on the word the push replaces. */
    private void freeDirect(int entry, String routine) {
        if (!isLive()) {
            throw list.noLiveList(routine);
        }
        boolean cached = SListChains.pushBelowDepth(header, memory, entry, LookasideHeader.depth(header));
        counters.directFree(!cached);
        if (!cached) {
            list.freeToRoutine(entry);
        }
    }

    /** The tap of a thread without a magazine: it looks for one at every operation (one may have come free). */
    private final class DirectTap implements LookasideTap {

        @Override
        public MemorySegment allocate() {
            Magazine m = stripes.find(Thread.currentThread());
            if (m != null) {
                return m.allocate();
            }
            int entry = allocateDirect("LookasideTap.allocate");
            return entry == 0 ? MemorySegment.NULL : memory.resolve(entry, LookasideHeader.size(header));
        }

        @Override
        public void free(MemorySegment entry) {
            Magazine m = stripes.find(Thread.currentThread());
            if (m != null) {
                m.free(entry);
                return;
            }
            checkEntrySize(entry, LookasideHeader.size(header));
            freeDirect(memory.addressOf(entry), "LookasideTap.free");
        }

        @Override
        public int lookaside() {
            return address;
        }
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
            return list.allocateFromRoutine();
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
        if (n + depot >= depth || (n >= cap && !spillBelowDepth(m, Math.max(1, n / 2), depth))) {
            // NT's FreeMiss: everything this thread can see is at Depth (or another thread's spill filled the
            // depot between the look and the push: the push is refused rather than put the depot above Depth)
            m.freeMisses++;
            m.limit = Math.max(0, Math.min(cap, depth - depot));
            list.freeToRoutine(entry);
            return;
        }
        n = m.count;
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
            throw list.noLiveList(routine);
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

    // ================================================================== moving entries (the magazine's owner)

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

    /** Links the {@code k} oldest entries (the bottom of the magazine) into a chain, the newest of them first. */
    private void linkOldest(Magazine m, int k) {
        int previous = 0;
        for (int i = 0; i < k; i++) {
            int e = addressAt(m, i);
            if (i > 0) {
                memory.writeInt(e, previous); // e.Next = the older entry below it
            }
            previous = e;
        }
    }

    /** Drops the {@code k} oldest entries from the magazine once they are in the depot. */
    private void removeOldest(Magazine m, int k) {
        int n = m.count;
        System.arraycopy(m.addresses, k, m.addresses, 0, n - k);
        System.arraycopy(m.segments, k, m.segments, 0, n - k);
        Arrays.fill(m.segments, n - k, n, null);
        m.count = n - k;
    }

    /**
     * Moves the {@code k} oldest entries to the depot in one CAS, keeping the LIFO order: the newest of them
     * becomes the depot's first entry. Unbounded: only for entries already counted against the bound (a
     * magazine trimmed after Depth fell), which this moves, never adds.
     */
    private void spill(Magazine m, int k) {
        linkOldest(m, k);
        SListChains.pushChain(header, memory, m.addresses[k - 1], m.addresses[0], k);
        removeOldest(m, k);
    }

    /** As {@link #spill}, but only if the depot stays at or below {@code depth}; false (nothing moved) otherwise. */
    private boolean spillBelowDepth(Magazine m, int k, int depth) {
        linkOldest(m, k); // the links live in free entries' first bytes: harmless if the push is refused
        if (!SListChains.pushChainBelowDepth(header, memory, m.addresses[k - 1], m.addresses[0], k, depth)) {
            return false;
        }
        removeOldest(m, k);
        return true;
    }

    /** Moves as many of the magazine's entries to the depot as fit below Depth, the oldest first; the rest stay. */
    void spillWhatFits(Magazine m) {
        int room = LookasideHeader.depth(header) - SLists.depth(header);
        int k = Math.min(m.count, room);
        while (k > 0 && !spillBelowDepth(m, k, LookasideHeader.depth(header))) {
            k = Math.min(m.count, LookasideHeader.depth(header) - SLists.depth(header));
        }
    }

    /** Returns every entry of a magazine this thread owns (or has claimed) to the Free routine, newest first. */
    void drainToFreeRoutine(Magazine m) {
        int n = m.count;
        int[] entries = new int[n]; // not a shared scratch array: a Free routine may re-enter (drain another list)
        for (int i = 0; i < n; i++) {
            entries[i] = addressAt(m, n - 1 - i);
        }
        m.clear();
        for (int i = 0; i < n; i++) {
            list.freeToRoutine(entries[i]);
        }
    }

    // ================================================================== finding the thread's magazine, the tap

    /** The calling thread's magazine, adopted or made on first use; {@code null} when no stripe is free for it. */
    Magazine magazine() {
        return stripes.find(Thread.currentThread());
    }

    /** A new magazine for stripe {@code stripe}, owned by {@code t}, sized from the header. */
    Magazine newMagazine(int stripe, Thread t) {
        int depth = LookasideHeader.depth(header);
        return Magazine.create(this, stripe, t, LookasideHeader.size(header), MAGAZINE_SIZE,
                limit(Math.min(MAGAZINE_SIZE, depth), depth));
    }

    /**
     * The calling thread's magazine <em>is</em> its tap: an allocate or free through it is the hit path
     * alone — no lookup, no header address to resolve, no extra indirection — and hands back the segments
     * it was given. Every tap a thread asks for on this list is the same object while the thread lives. A
     * thread that finds no stripe free gets the list's direct tap, which looks again at every operation.
     */
    @Override
    public LookasideTap tap() {
        Magazine m = magazine();
        return m != null ? m : directTap;
    }

    IllegalStateException wrongThread(Magazine m, String op) {
        Thread owner = m.ownerAcquire();
        return new IllegalStateException(String.format(
                "LookasideTap.%s: this tap on the lookaside list at %08X belongs to thread %s, not %s", op, address,
                owner != null ? owner.getName() : "(none: it ended)", Thread.currentThread().getName()));
    }

    // ================================================================== the registry's and the tuner's side

    @Override
    public void fold() {
        synchronized (foldLock) {
            counters.fold(header, stripes);
        }
    }

    @Override
    public int cachedOutsideListHead() {
        int n = 0;
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m != null && (m.state & Magazine.DEAD_STATES) == 0) {
                n += m.count; // racy read, benign: a count from a moment ago
            }
        }
        return n;
    }

    @Override
    public void tick() {
        reaper.reapEnded();
    }

    @Override
    public void depthChanged() {
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m != null) {
                m.signal(Magazine.RECHECK);
            }
        }
    }

    /** The executive has cleared the list's live flag first: a magazine made after the revocation sees it dead. */
    @Override
    public void listGone(boolean deleted) {
        reaper.revokeAll(deleted ? Magazine.REVOKED : Magazine.DISCARDED);
    }

    /**
     * {@code ExFlushLookasideListEx}, and the second half of a delete: see {@link MagazineReaper#flushMagazines};
     * the executive then flushes the depot ({@code ListHead}).
     */
    @Override
    public void flush() {
        reaper.flushMagazines();
    }

    @Override
    public boolean hasStranded() {
        return reaper.hasStranded();
    }

    @Override
    public boolean reapStranded() {
        return reaper.reapStranded();
    }

    @Override
    public void discardStranded() {
        reaper.discardStranded();
    }

    /** Every magazine made so far, in stripe order: for the tests. */
    List<Magazine> magazines() {
        List<Magazine> all = new ArrayList<>();
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m != null) {
                all.add(m);
            }
        }
        return all;
    }
}
