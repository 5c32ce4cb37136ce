package dev.ringzero.lookaside;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.base.Ticker;
import com.google.common.util.concurrent.Service;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.tck.TestExecutivePool;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The balance-set manager as a service: its one thread (named, a daemon, gone when the service stops or fails),
 * its ticks counted from the clock's reading at start-up, and the scan's use of the snapshots it keeps.
 */
class BalanceSetManagerServiceTest {

    static final Owner DRIVER = new Owner("Serviced", 6);
    static final int TAG = PoolTag.of("vreS");
    /** A thread that has ended is gone at once; this only bounds a broken build's wait. */
    static final Duration ENDS_WITHIN = Duration.ofSeconds(30);

    TestExecutivePool executive;

    @BeforeEach
    void setUp() {
        executive = new TestExecutivePool();
    }

    @AfterEach
    void tearDown() {
        executive.close();
    }

    static Set<Thread> threads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    @Test
    void runsOnOneNamedDaemonThreadThatEndsWhenTheServiceStops() throws InterruptedException {
        Set<Thread> before = threads();
        LookasideSystem system = LookasideSystem.create(executive, new ManualTicker());
        Set<Thread> started = threads();
        started.removeAll(before);
        // by name (Guava adds the state while it runs a task: "Balance Set Manager STARTING"): another thread is not the tuner
        List<Thread> tuner = started.stream().filter(t -> t.getName().startsWith("Balance Set Manager")).toList();
        assertThat(tuner).singleElement().satisfies(t -> assertThat(t.isDaemon()).isTrue());
        Thread thread = tuner.getFirst();
        system.close();
        thread.join(ENDS_WITHIN);
        assertThat(thread.isAlive()).as("the executor is shut down with the service").isFalse();
    }

    @Test
    void aClockThatFailsAtStartUpFailsTheServiceAndEndsItsThread() throws InterruptedException {
        Ticker broken = new Ticker() {
            @Override
            public long read() {
                throw new IllegalStateException("no clock");
            }
        };
        Set<Thread> before = threads();
        LookasideSystem system = new LookasideSystem(executive, broken);
        assertThatThrownBy(system::start).isInstanceOf(IllegalStateException.class);
        assertThat(system.balanceSetManager().state()).isEqualTo(Service.State.FAILED);
        Set<Thread> started = threads();
        started.removeAll(before);
        for (Thread t : started) {
            if (t.getName().startsWith("Balance Set Manager")) {
                t.join(ENDS_WITHIN);
                assertThat(t.isAlive()).as("the executor is shut down when the service fails").isFalse();
            }
        }
    }

    @Test
    void ticksCountFromTheClocksReadingAtStartUpNotFromZero() {
        ManualTicker clock = new ManualTicker();
        LookasideSystem system = new LookasideSystem(executive, clock);
        try {
            PoolAllocator pool = executive.forDriver(DRIVER);
            LookasideLists lists = system.provider("nt").forDriver(DRIVER, pool);
            int l = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, 32, TAG, 0);
            for (int i = 0; i < 100; i++) {
                lists.ExAllocateFromNPagedLookasideList(l);
            }
            clock.advance(Duration.ofSeconds(10));
            BalanceSetManager manager = new BalanceSetManager(system, clock);
            manager.startUp();
            manager.runOneIteration();
            assertThat(system.find(l).orElseThrow().depth()).as("no second has passed since start-up").isEqualTo(4);
            clock.advance(Duration.ofSeconds(1));
            manager.runOneIteration();
            assertThat(system.find(l).orElseThrow().depth()).isEqualTo(34);
        } finally {
            system.close();
        }
    }

    @Test
    void aScanTakesTheMissesSinceTheLastScanNotAllOfThem() {
        LookasideSystem system = new LookasideSystem(executive, new ManualTicker());
        try {
            PoolAllocator pool = executive.forDriver(DRIVER);
            LookasideLists lists = system.provider("nt").forDriver(DRIVER, pool);
            int l = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, 32, TAG, 0);
            MemorySegment h = executive.memory().resolve(l, NtLayouts.GENERAL_LOOKASIDE.byteSize());
            system.setDepth(l, 30);
            LookasideHeader.setTotalAllocates(h, 1000);
            LookasideHeader.setAllocateMisses(h, 1000);
            LookasideHeader.setLastAllocateMisses(h, 1000); // every miss was counted by an earlier scan

            system.adjustLookasideDepth();

            assertThat(system.find(l).orElseThrow().depth()).as("1000 allocations, no new miss: shrink by one")
                    .isEqualTo(29);
        } finally {
            system.close();
        }
    }
}
