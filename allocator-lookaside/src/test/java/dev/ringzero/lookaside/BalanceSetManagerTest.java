package dev.ringzero.lookaside;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.Service;
import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.tck.TestExecutivePool;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The balance-set manager: NT's three-phase round robin, faults isolated per list, and time from an
 * injected clock. No test sleeps: ticks are called by hand or driven by a {@link ManualTicker}.
 */
class BalanceSetManagerTest {

    static final Owner DRIVER = new Owner("Tuned", 1);
    static final int TAG = PoolTag.of("nuT");

    TestExecutivePool executive;
    ManualTicker clock;
    LookasideSystem system;
    PoolAllocator pool;
    LookasideLists lists;
    final List<Map.Entry<Owner, BugCheck>> faults = new ArrayList<>();

    @BeforeEach
    void setUp() {
        executive = new TestExecutivePool();
        clock = new ManualTicker();
        system = new LookasideSystem(executive, clock);
        system.setFaultHandler((owner, b) -> faults.add(Map.entry(owner, b)));
        pool = executive.forDriver(DRIVER);
        lists = system.provider("nt").forDriver(DRIVER, pool);
    }

    @AfterEach
    void tearDown() {
        system.close();
        executive.close();
    }

    int list(boolean paged) {
        int header = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.PAGED_LOOKASIDE_LIST.byteSize(), TAG);
        if (paged) {
            lists.ExInitializePagedLookasideList(header, null, null, 0, 32, TAG, 0);
        } else {
            lists.ExInitializeNPagedLookasideList(header, null, null, 0, 32, TAG, 0);
        }
        return header;
    }

    /** {@code n} allocations that all miss (nothing is freed): the next scan grows the list to 34. */
    void busy(int header, int n) {
        for (int i = 0; i < n; i++) {
            lists.ExAllocateFromNPagedLookasideList(header);
        }
    }

    int depth(int header) {
        return system.find(header).orElseThrow().depth();
    }

    @Test
    void eachListIsTunedOnlyEveryThirdTickNonPagedThenPagedThenNeither() {
        int npaged = list(false);
        int paged = list(true);
        busy(npaged, 100);
        busy(paged, 100);

        system.adjustLookasideDepth();                   // phase 0
        assertThat(List.of(depth(npaged), depth(paged))).containsExactly(34, 4);
        system.adjustLookasideDepth();                   // phase 1
        assertThat(List.of(depth(npaged), depth(paged))).containsExactly(34, 34);
        system.adjustLookasideDepth();                   // phase 2: the system's own lists, none here
        assertThat(List.of(depth(npaged), depth(paged))).containsExactly(34, 34);
        system.adjustLookasideDepth();                   // phase 0 again: idle since, shrink by ten
        assertThat(List.of(depth(npaged), depth(paged))).containsExactly(24, 34);
        system.adjustLookasideDepth();
        assertThat(List.of(depth(npaged), depth(paged))).containsExactly(24, 24);
    }

    @Test
    void aScanTakesDeltasSinceTheLastScanOfThatList() {
        int l = list(false);
        busy(l, 100);
        system.adjustLookasideDepth();
        MemorySegment h = executive.memory().resolve(l, NtLayouts.GENERAL_LOOKASIDE.byteSize());
        assertThat(LookasideHeader.lastTotalAllocates(h)).isEqualTo(100);
        assertThat(LookasideHeader.lastAllocateMisses(h)).isEqualTo(100);
    }

    @Test
    void countersThatWrapPast32BitsStillGiveTheRightDelta() {
        int l = list(false);
        MemorySegment h = executive.memory().resolve(l, NtLayouts.GENERAL_LOOKASIDE.byteSize());
        LookasideHeader.setTotalAllocates(h, 0xFFFF_FFF0);
        LookasideHeader.setLastTotalAllocates(h, 0xFFFF_FFF0);
        LookasideHeader.setAllocateMisses(h, 0xFFFF_FFF0);
        LookasideHeader.setLastAllocateMisses(h, 0xFFFF_FFF0);
        busy(l, 100);                                     // TotalAllocates wraps to 0x54
        system.adjustLookasideDepth();
        assertThat(depth(l)).isEqualTo(34);
        assertThat(system.find(l).orElseThrow().totalAllocates()).isEqualTo(0x54);
    }

    @Test
    void aFaultingListIsReportedAndDroppedWhileTheOthersStillGetTuned() {
        int forgotten = list(false);
        int healthy = list(false);
        busy(forgotten, 100);
        busy(healthy, 100);
        pool.ExFreePool(forgotten);

        system.adjustLookasideDepth();

        assertThat(faults).singleElement().satisfies(f -> {
            assertThat(f.getKey()).isEqualTo(DRIVER);
            assertThat(f.getValue().code()).isEqualTo(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);
            assertThat(f.getValue().parameter1()).isEqualTo(Integer.toUnsignedLong(forgotten));
        });
        assertThat(depth(healthy)).isEqualTo(34);
        assertThat(system.lists()).extracting(i -> i.address()).containsExactly(healthy);
    }

    @Test
    void anExceptionInOneListBecomesItsOwnersBugCheckAndTheScanGoesOn() {
        Owner broken = new Owner("Broken", 7);
        PoolAllocator brokenPool = executive.forDriver(broken);
        int header = brokenPool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
        MemorySegment segment = executive.memory().resolve(header, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize());
        LookasideCache explodingCache = new LookasideCache() {
            @Override
            public int allocate() {
                return 0;
            }

            @Override
            public void free(int entry) {
            }

            @Override
            public void fold() {
                throw new IllegalStateException("per-thread caches are inconsistent");
            }
        };
        RegisteredList exploding = new RegisteredList(header, broken, brokenPool, ListKind.NPAGED, false, segment,
                segment.address() + segment.byteSize(), (t, s, g, l) -> 0, (b, l) -> { },
                FixedPolicy.of(system, "exploding", explodingCache));
        system.register(exploding, false, () -> LookasideHeader.initialize(segment, 4, 256, 0, TAG, 32));
        int healthy = list(false);
        busy(healthy, 100);

        system.adjustLookasideDepth();

        assertThat(faults).singleElement().satisfies(f -> {
            assertThat(f.getKey()).isEqualTo(broken);
            assertThat(f.getValue().code()).isEqualTo(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
            assertThat(f.getValue().parameter1()).isEqualTo(Integer.toUnsignedLong(NtStatus.STATUS_UNSUCCESSFUL.value()));
            assertThat(f.getValue()).hasRootCauseMessage("per-thread caches are inconsistent");
        });
        assertThat(depth(healthy)).isEqualTo(34);
        assertThat(system.find(header)).isEmpty();
        assertThat(executive.hasLookasideMark(header)).as("a dropped list's mark is cleared").isFalse();
    }

    @Test
    void aFaultHandlerThatThrowsDoesNotStopTheTuner() {
        system.setFaultHandler((owner, b) -> {
            throw new IllegalStateException("host is shutting down");
        });
        int forgotten = list(false);
        int healthy = list(false);
        pool.ExFreePool(forgotten);
        system.adjustLookasideDepth();
        busy(healthy, 100);
        system.adjustLookasideDepth();
        system.adjustLookasideDepth();
        system.adjustLookasideDepth();
        assertThat(depth(healthy)).isEqualTo(34);
    }

    @Test
    void theServiceTicksOncePerSecondOfItsClock() {
        BalanceSetManager manager = new BalanceSetManager(system, clock);
        int l = list(false);
        busy(l, 100);
        manager.startUp();
        manager.runOneIteration();
        assertThat(depth(l)).as("no time has passed").isEqualTo(4);
        clock.advance(Duration.ofMillis(999));
        manager.runOneIteration();
        assertThat(depth(l)).isEqualTo(4);
        clock.advance(Duration.ofMillis(1));
        manager.runOneIteration();                        // tick 1: phase 0
        assertThat(depth(l)).isEqualTo(34);
        clock.advance(Duration.ofSeconds(2));
        manager.runOneIteration();                        // ticks 2 and 3: phases 1 and 2
        assertThat(depth(l)).isEqualTo(34);
        clock.advance(Duration.ofSeconds(1));
        manager.runOneIteration();                        // tick 4: phase 0, idle
        assertThat(depth(l)).isEqualTo(24);
    }

    @Test
    void afterALongPauseTheServiceCatchesUpOneRoundAtMost() {
        BalanceSetManager manager = new BalanceSetManager(system, clock);
        int l = list(false);
        busy(l, 100);
        manager.startUp();
        clock.advance(Duration.ofMinutes(10));
        manager.runOneIteration();                        // 600 ticks due, 3 run: phase 0 once
        assertThat(depth(l)).isEqualTo(34);
        clock.advance(Duration.ofSeconds(1));
        manager.runOneIteration();                        // phase 0 again
        assertThat(depth(l)).isEqualTo(24);
    }

    @Test
    void aFrozenClockFreezesTheTuner() {
        BalanceSetManager manager = new BalanceSetManager(system, clock);
        int l = list(false);
        busy(l, 100);
        manager.startUp();
        for (int i = 0; i < 10; i++) {
            manager.runOneIteration();
        }
        assertThat(depth(l)).isEqualTo(4);
    }

    @Test
    void createStartsTheServiceAndCloseStopsIt() {
        TestExecutivePool other = new TestExecutivePool();
        try {
            LookasideSystem running = LookasideSystem.create(other, new ManualTicker());
            assertThat(running.balanceSetManager().state()).isEqualTo(Service.State.RUNNING);
            running.close();
            assertThat(running.balanceSetManager().state()).isEqualTo(Service.State.TERMINATED);
        } finally {
            other.close();
        }
    }
}
