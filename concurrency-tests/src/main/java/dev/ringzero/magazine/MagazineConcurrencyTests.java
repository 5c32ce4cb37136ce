package dev.ringzero.magazine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.concurrency.Fixture;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.lookaside.LookasideServices;
import dev.ringzero.spi.lookaside.SListChains;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The {@code magazine} lists' handoffs between threads, on the real pool: the depot's batch operations
 * ({@link SListChains}), two threads refilling their magazines from one depot, a delete racing a free, and
 * (issue 20) the handing on of a stripe's magazine: two threads adopting the magazine of a thread that ended,
 * the balance-set manager's reaping or a flush racing an adopter. In this package (class path) to reach the
 * package-private engine of allocator-magazine; the executive is assembled as a host assembles it (ServiceLoader).
 * Shapes any implementation can reuse are in allocator-tck's {@code templates/jcstress}.
 *
 * <p>Every test here has two actors, so all of them run on this 2-core machine (the build gives jcstress
 * {@code -c 2}). {@link TwoAdoptersAndTheReaper} has three and is skipped here; it runs where jcstress is given
 * three CPUs or more.
 */
public final class MagazineConcurrencyTests {

    /** One lookaside executive per test VM over the fixture's pool; its tuner never ticks (a frozen clock). */
    static final Executive SYSTEM = new Executive();

    /**
     * The executive (allocator-lookaside, found with ServiceLoader) with {@code magazine} registered through a policy
     * that remembers the cache and the executive's handle it made for each header, so a test can reach both.
     */
    static final class Executive {
        final LookasideRegistry registry;
        final Map<Integer, MagazineLookasideList> caches = new ConcurrentHashMap<>();
        final Map<Integer, LookasideListHandle> handles = new ConcurrentHashMap<>();

        Executive() {
            LookasideServices services = ServiceLoader.load(LookasideServices.Factory.class).findFirst().orElseThrow()
                    .create(Fixture.POOL, () -> 0L, false);
            registry = services.registry();
            if (registry.providers().stream().anyMatch(p -> p.name().equals(MagazineLookasideList.NAME))) {
                registry.unregister(MagazineLookasideList.NAME);
            }
            registry.register(new LookasidePolicy() {
                @Override
                public String name() {
                    return MagazineLookasideList.NAME;
                }

                @Override
                public LookasideCache newCache(LookasideListHandle list) {
                    MagazineLookasideList cache = new MagazineLookasideList(list);
                    caches.put(list.address(), cache);
                    handles.put(list.address(), list);
                    return cache;
                }
            });
        }

        LookasideProvider provider(String name) {
            return registry.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        }

        MagazineLookasideList lookup(int header) {
            return caches.get(header);
        }

        void purge(Owner owner) {
            registry.purge(owner);
        }
    }

    private static final AtomicLong OWNERS = new AtomicLong(100);

    private MagazineConcurrencyTests() {
    }

    // ------------------------------------------------------------------ the depot's batch handoff

    @JCStressTest
    @Outcome(id = "12, 34", expect = ACCEPTABLE, desc = "the pop came first: it took a -> b, the chain c -> d went on the empty list")
    @Outcome(id = "341, 2", expect = ACCEPTABLE, desc = "the push came first: the pop took c -> d -> a, b stayed")
    @Outcome(expect = FORBIDDEN, desc = "an entry taken twice, lost, out of order, or Depth disagreeing with the chain")
    @State
    public static class ChainPushRacingChainPop {
        final int header = Fixture.newSListHeader();
        final MemorySegment h = Fixture.header(header);
        final int a = Fixture.newEntry();
        final int b = Fixture.newEntry();
        final int c = Fixture.newEntry();
        final int d = Fixture.newEntry();
        final int[] out = new int[3];

        ChainPushRacingChainPop() {
            Fixture.SLISTS.push(h, b);
            Fixture.SLISTS.push(h, a);          // a -> b
            Fixture.MEMORY.writeInt(c, d);      // the chain c -> d, d's link written by pushChain
        }

        int id(int e) {
            return Fixture.id(e, a, b, c, d);
        }

        @Actor
        public void spill() {
            SListChains.pushChain(h, Fixture.MEMORY, c, d, 2);
        }

        @Actor
        public void refill(II_Result r) {
            int n = SListChains.popChain(h, Fixture.MEMORY, out, 3);
            int code = 0;
            for (int i = 0; i < n; i++) {
                code = code * 10 + id(out[i]);
            }
            r.r1 = code;
        }

        @Arbiter
        public void check(II_Result r) {
            int depth = Fixture.SLISTS.QueryDepthSList(header);
            int code = 0;
            int n = 0;
            for (int e = Fixture.SLISTS.flush(h); e != 0; e = Fixture.MEMORY.readInt(e)) {
                code = code * 10 + id(e);
                n++;
            }
            r.r2 = depth == n ? code : -depth;
            Fixture.free(a, b, c, d, header);
        }
    }

    // ------------------------------------------------------------------ two magazines refilling from one depot

    /** A magazine list of Depth 4 (so each refill takes up to 2) whose depot holds three entries. */
    abstract static class ListState {
        /** The list's owner, one per state so that each arbiter purges only its own list; the memory is the fixture's. */
        final Owner owner = new Owner("JcstressMagazine", OWNERS.incrementAndGet());
        final PoolAllocator pool = Fixture.ALLOCATOR;
        final LookasideLists lists = SYSTEM.provider(MagazineLookasideList.NAME).forDriver(owner, pool);
        final int header = pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(),
                Fixture.TAG);
        final AtomicInteger routineFrees = new AtomicInteger();
        final Set<Integer> freedByRoutine = java.util.Collections.synchronizedSet(new HashSet<>());

        ListState() {
            lists.ExInitializeNPagedLookasideList(header, null, e -> {
                routineFrees.incrementAndGet();
                freedByRoutine.add(e);
                pool.ExFreePool(e);
            }, 0, Fixture.ENTRY_SIZE, Fixture.TAG, 0);
            list = (MagazineLookasideList) SYSTEM.lookup(header);
        }

        final MagazineLookasideList list;

        int entry() {
            return pool.ExAllocatePoolWithTag(PoolType.NonPagedPool, Fixture.ENTRY_SIZE, Fixture.TAG);
        }

        void releaseAll(int... entries) {
            for (int e : entries) {
                if (e != 0 && !freedByRoutine.contains(e)) {
                    pool.ExFreePool(e);
                }
            }
            SYSTEM.purge(owner); // unregisters a live list, forgets stranded magazines: nothing is called
            pool.ExFreePool(header);
        }
    }

    @JCStressTest
    @Outcome(id = "0, 3", expect = ACCEPTABLE, desc = "the three cached entries went to the two threads once each; the fourth allocate missed to the pool")
    @Outcome(expect = FORBIDDEN, desc = "one block handed to both threads, or a cached entry lost")
    @State
    public static class TwoMagazinesRefillFromOneDepot extends ListState {
        final int x = entry();
        final int y = entry();
        final int z = entry();
        int a1;
        int a2;
        int b1;
        int b2;

        TwoMagazinesRefillFromOneDepot() {
            MagazineLookasideList l = list;
            SListChains.pushChain(l.header, Fixture.MEMORY, z, z, 1);
            SListChains.pushChain(l.header, Fixture.MEMORY, y, y, 1);
            SListChains.pushChain(l.header, Fixture.MEMORY, x, x, 1);
        }

        @Actor
        public void threadA() {
            a1 = lists.ExAllocateFromNPagedLookasideList(header);
            a2 = lists.ExAllocateFromNPagedLookasideList(header);
        }

        @Actor
        public void threadB() {
            b1 = lists.ExAllocateFromNPagedLookasideList(header);
            b2 = lists.ExAllocateFromNPagedLookasideList(header);
        }

        @Arbiter
        public void check(II_Result r) {
            Set<Integer> seen = new HashSet<>();
            int duplicates = 0;
            int cached = 0;
            for (int e : new int[] {a1, a2, b1, b2}) {
                if (!seen.add(e)) {
                    duplicates++;
                }
                if (e == x || e == y || e == z) {
                    cached++;
                }
            }
            r.r1 = duplicates;
            r.r2 = cached + Fixture.SLISTS.QueryDepthSList(header); // anything not handed out must still be in the depot
            releaseAll(a1, a2, b1, b2);
        }
    }

    // ------------------------------------------------------------------ a stripe's magazine handed on

    /**
     * A list of one stripe over a {@link ListState}'s header (so its one magazine is the one every thread
     * competes for), whose magazine holds {@code x}, left there by a virtual thread that has ended.
     */
    abstract static class EndedOwnerState extends ListState {
        final LookasideListHandle handle = SYSTEM.handles.get(header);
        final MagazineLookasideList oneStripe = new MagazineLookasideList(handle, 1);
        final int x = entry();

        EndedOwnerState() {
            Thread ended = Thread.ofVirtual().start(() -> oneStripe.free(x));
            try {
                ended.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Where {@code x} is cached now: in the magazine, in the depot (0, 1 or 2 places). */
        int placesCachingX() {
            int places = 0;
            for (Magazine m : oneStripe.magazines()) {
                for (int i = 0; i < m.count; i++) {
                    if (m.addresses[i] == x) {
                        places++;
                    }
                }
            }
            for (int e = Fixture.SLISTS.flush(oneStripe.header); e != 0; e = Fixture.MEMORY.readInt(e)) {
                if (e == x) {
                    places++;
                }
            }
            return places;
        }

        /** Frees each distinct entry the routine has not freed, then purges the list. */
        void releaseOnce(int... entries) {
            releaseAll(java.util.Arrays.stream(entries).distinct().toArray());
        }
    }

    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "one thread adopted the ended thread's magazine and took x; "
            + "the other found the stripe owned by a live thread and missed to the pool")
    @Outcome(expect = FORBIDDEN, desc = "x handed to both threads, or lost, or left cached")
    @State
    public static class TwoThreadsAdoptAnEndedThreadsMagazine extends EndedOwnerState {
        int a;
        int b;

        @Actor
        public void first() {
            a = oneStripe.allocate();
        }

        @Actor
        public void second() {
            b = oneStripe.allocate();
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = (a == x ? 1 : 0) + (b == x ? 1 : 0);
            r.r2 = placesCachingX();
            releaseOnce(a, b, x);
        }
    }

    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the thread took x: it adopted the magazine first, or took x "
            + "from the depot after the reaper moved it there")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the reaper held the magazine when the thread came: the thread "
            + "missed to the pool, x went to the depot")
    @Outcome(expect = FORBIDDEN, desc = "x both handed out and cached, or lost")
    @State
    public static class ReaperRacingAnAdopter extends EndedOwnerState {
        int a;

        @Actor
        public void reaper() {
            oneStripe.tick();
        }

        @Actor
        public void adopter() {
            a = oneStripe.allocate();
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = a == x ? 1 : 0;
            r.r2 = placesCachingX();
            releaseOnce(a, x);
        }
    }

    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the thread adopted the magazine and took x before the flush "
            + "looked; the flush found a live owner and flagged it")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the flush adopted the magazine first and gave x to the Free "
            + "routine; the thread missed to the pool")
    @Outcome(expect = FORBIDDEN, desc = "x both handed out and freed, freed twice, or lost")
    @State
    public static class FlushRacingAnAdopter extends EndedOwnerState {
        int a;

        @Actor
        public void flusher() {
            // ExFlushLookasideListEx as the executive runs it: fold, the cache's flush, then the depot to Free
            oneStripe.fold();
            oneStripe.flush();
            for (int e = Fixture.SLISTS.flush(oneStripe.header); e != 0; ) {
                int next = Fixture.MEMORY.readInt(e);
                handle.freeToRoutine(e);
                e = next;
            }
        }

        @Actor
        public void adopter() {
            a = oneStripe.allocate();
        }

        @Arbiter
        public void check(II_Result r) {
            int freed = 0;
            synchronized (freedByRoutine) {
                for (int e : freedByRoutine) {
                    freed += e == x ? 1 : 0;
                }
            }
            // a flushed x goes back to the pool, whose next block may be x again: the thread's miss can get the same
            // address fresh from the pool. Only a hit (no AllocateMiss) took the cached x.
            oneStripe.fold();
            boolean hit = LookasideHeader.allocateMisses(oneStripe.header) == 0;
            r.r1 = a == x && hit ? 1 : 0;
            r.r2 = freed + 10 * placesCachingX() + (routineFrees.get() > freed ? 100 : 0);
            releaseOnce(a, x);
        }
    }

    /** Three actors: skipped on two cores (see the class comment). */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "x went to exactly one adopter (from the magazine or, after "
            + "the reaper, the depot)")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the reaper moved x to the depot and neither adopter took it")
    @Outcome(expect = FORBIDDEN, desc = "x handed out twice, handed out and cached, or lost")
    @State
    public static class TwoAdoptersAndTheReaper extends EndedOwnerState {
        int a;
        int b;

        @Actor
        public void reaper() {
            oneStripe.tick();
        }

        @Actor
        public void first() {
            a = oneStripe.allocate();
        }

        @Actor
        public void second() {
            b = oneStripe.allocate();
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = (a == x ? 1 : 0) + (b == x ? 1 : 0);
            r.r2 = placesCachingX();
            releaseOnce(a, b, x);
        }
    }

    // ------------------------------------------------------------------ delete racing a free

    @JCStressTest
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE_INTERESTING,
            desc = "the free came first: the entry waits in the freeing thread's magazine, owed to the Free routine "
                    + "(returned at that thread's next call on the list, or by the tuner once it ends)")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE,
            desc = "the delete came first: the free bug-checked (0x50, use after delete) and the caller still holds the entry")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE,
            desc = "the free came first and its thread had ended by the delete (jcstress ends actor threads between "
                    + "runs): the delete claimed the dead thread's magazine and returned the entry to the Free routine")
    @Outcome(expect = FORBIDDEN, desc = "the entry lost (nowhere) or in two places")
    @State
    public static class DeleteRacingFree extends ListState {
        final int entry = entry();
        final MemorySegment segment = Fixture.MEMORY.resolve(entry, Fixture.ENTRY_SIZE);
        final int[] cachedByDeleter = {entry(), entry()};
        boolean rejected;

        DeleteRacingFree() {
            // the deleting thread's own magazine and the depot hold entries too: the delete must free those
            SListChains.pushChain(list.header, Fixture.MEMORY, cachedByDeleter[0], cachedByDeleter[0], 1);
        }

        @Actor
        public void freer() {
            try {
                LookasideTap tap = lists.tap(header);
                tap.free(segment);
            } catch (BugCheck useAfterDelete) {
                rejected = true;
            }
        }

        @Actor
        public void deleter() {
            lists.ExFreeToNPagedLookasideList(header, cachedByDeleter[1]);
            lists.ExDeleteNPagedLookasideList(header);
        }

        @Arbiter
        public void check(III_Result r) {
            int stranded = 0;
            for (Magazine m : list.magazines()) {  // after the actors: their plain writes are visible here
                for (int i = 0; i < m.count; i++) {
                    if (m.addresses[i] == entry || m.segments[i] == segment) {
                        stranded++;
                    }
                }
            }
            r.r1 = freedByRoutine.contains(entry) ? 1 : 0;
            r.r2 = stranded;
            r.r3 = rejected ? 1 : 0;
            if (!freedByRoutine.contains(cachedByDeleter[0]) || !freedByRoutine.contains(cachedByDeleter[1])) {
                r.r1 += 10; // the delete left the depot or its own magazine behind
            }
            releaseAll(entry);
        }
    }
}
