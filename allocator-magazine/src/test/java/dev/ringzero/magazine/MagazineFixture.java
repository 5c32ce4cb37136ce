package dev.ringzero.magazine;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.tck.TestExecutivePool;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the magazine's unit tests share: the executive on the stand-in pool with {@link #stripes()} stripes per
 * list, a driver's non-paged lists whose Free routine records what it is given, a worker thread that lives for
 * the whole test, and {@link Holder}s: threads that take their tap on a list and stay alive, holding its
 * stripe, until the test ends them. Threads are joined or handed work, never slept on.
 */
abstract class MagazineFixture {

    static final Owner DRIVER = new Owner("MagazineUnits", 1);
    static final int TAG = PoolTag.of("tinU");
    static final int SIZE = 48;

    TestExecutivePool executive;
    TestSystem system;
    PoolAllocator pool;
    LookasideLists lists;
    ExecutorService worker;
    final List<Integer> freedByRoutine = Collections.synchronizedList(new ArrayList<>());
    final List<Map.Entry<Owner, BugCheck>> faults = Collections.synchronizedList(new ArrayList<>());
    private final List<Holder> holders = new ArrayList<>();

    /** Stripes per list; 0: the cores' number. */
    abstract int stripes();

    @BeforeEach
    void setUpExecutive() {
        executive = new TestExecutivePool();
        system = new TestSystem(executive, stripes());
        system.setFaultHandler((owner, b) -> faults.add(Map.entry(owner, b)));
        pool = executive.forDriver(DRIVER);
        lists = system.provider("magazine").forDriver(DRIVER, pool);
        worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "magazine-unit-worker"));
    }

    @AfterEach
    void tearDownExecutive() throws InterruptedException {
        for (Holder h : holders) {
            h.end();
        }
        worker.shutdownNow();
        assertThat(worker.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        system.close();
        executive.close();
    }

    /** A non-paged list of {@link #SIZE}-byte entries at Depth {@code depth}, its Free routine recorded. */
    int list(int depth) {
        int header = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        lists.ExInitializeNPagedLookasideList(header, null, buffer -> {
            freedByRoutine.add(buffer);
            pool.ExFreePool(buffer);
        }, 0, SIZE, TAG, 0);
        setDepth(header, depth);
        return header;
    }

    /** The tuner's way: the header's Depth, then the cache told. */
    void setDepth(int header, int depth) {
        LookasideHeader.setDepth(header(header), depth);
        cache(header).depthChanged();
    }

    MagazineLookasideList cache(int header) {
        return system.lookup(header);
    }

    MemorySegment header(int header) {
        return executive.memory().resolve(header, NtLayouts.GENERAL_LOOKASIDE.byteSize());
    }

    /** Entries in the depot (the header's S-list). */
    int depot(int header) {
        return SLists.depth(header(header));
    }

    int[] allocate(int header, int n) {
        int[] e = new int[n];
        for (int i = 0; i < n; i++) {
            e[i] = lists.ExAllocateFromNPagedLookasideList(header);
        }
        return e;
    }

    void free(int header, int... entries) {
        for (int e : entries) {
            lists.ExFreeToNPagedLookasideList(header, e);
        }
    }

    int addressOf(MemorySegment s) {
        return executive.memory().addressOf(s);
    }

    static int[] reversed(int[] e) {
        int[] r = new int[e.length];
        for (int i = 0; i < e.length; i++) {
            r[i] = e[e.length - 1 - i];
        }
        return r;
    }

    <T> T onWorker(Callable<T> task) throws Exception {
        return worker.submit(task).get(30, TimeUnit.SECONDS);
    }

    /** A thread that ran {@code start} and lives on, holding what it took, until {@link Holder#end}. */
    Holder hold(String name, Callable<LookasideTap> start) throws InterruptedException {
        Holder h = new Holder(name, start);
        holders.add(h);
        h.ready.await();
        if (h.failure != null) {
            throw new AssertionError(name + " failed", h.failure);
        }
        return h;
    }

    static final class Holder {
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final Thread thread;
        volatile LookasideTap tap;
        volatile Throwable failure;

        Holder(String name, Callable<LookasideTap> start) {
            thread = new Thread(() -> {
                try {
                    tap = start.call();
                } catch (Throwable t) {
                    failure = t;
                }
                ready.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name);
            thread.start();
        }

        /** Lets the thread end and waits until it has. */
        void end() throws InterruptedException {
            released.countDown();
            thread.join();
        }
    }
}
