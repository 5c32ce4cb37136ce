package dev.ringzero.lookaside;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Service;
import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideTap;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.tck.TestExecutivePool;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the registry owes an implementation that keeps state outside the header (the {@code magazine} lists'
 * per-thread caches): a fold before every reset, snapshot and flush, a tick at each scan, word of each new depth,
 * and the reaping of entries a delete left stranded. A {@link RecordingList} stands for such an implementation, so
 * these hooks are tested here on their own, without the magazine.
 */
class RegistryHooksTest {

    static final Owner DRIVER = new Owner("Hooked", 5);
    static final int TAG = PoolTag.of("kooH");

    TestExecutivePool executive;
    LookasideSystem system;
    PoolAllocator pool;
    final List<Map.Entry<Owner, BugCheck>> faults = new ArrayList<>();
    final List<Integer> freed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        executive = new TestExecutivePool();
        system = new LookasideSystem(executive, new ManualTicker());
        system.setFaultHandler((owner, b) -> faults.add(Map.entry(owner, b)));
        pool = executive.forDriver(DRIVER);
    }

    @AfterEach
    void tearDown() {
        system.close();
        executive.close();
    }

    /** A list whose counts and entries may wait outside the header until the registry asks it to fold. */
    final class RecordingList implements LookasideCache {
        final int address;
        final MemorySegment header;
        final SLists slists;
        /** The executive's list this cache serves, registered by the test. */
        final RegisteredList list;
        int pendingAllocates;
        int pendingEntry;
        int folds;
        int ticks;
        int depthChanges;
        int kills;
        boolean killedByDelete;
        boolean stranded;
        final List<Boolean> reapResults = new ArrayList<>();
        RuntimeException reapFailure;
        int reaps;
        int discards;
        int flushes;
        int cachedOutside;

        RecordingList(int address, MemorySegment header, PoolAllocator pool, List<Integer> freed) {
            this.address = address;
            this.header = header;
            this.slists = new SLists(pool.memory());
            this.list = new RegisteredList(address, DRIVER, pool, ListKind.NPAGED, false, header,
                    header.address() + header.byteSize(), (type, size, tag, lookaside) -> 0,
                    (entry, lookaside) -> freed.add(entry), FixedPolicy.of(system, "recording", this));
        }

        boolean isLive() {
            return list.isLive();
        }

        @Override
        public int allocate() {
            return 0;
        }

        @Override
        public void free(int entry) {
        }

        @Override
        public LookasideTap tap() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void fold() {
            folds++;
            LookasideHeader.setTotalAllocates(header, LookasideHeader.totalAllocates(header) + pendingAllocates);
            pendingAllocates = 0;
            if (pendingEntry != 0) {
                slists.push(header, pendingEntry);
                pendingEntry = 0;
            }
        }

        @Override
        public void tick() {
            ticks++;
        }

        @Override
        public int cachedOutsideListHead() {
            return cachedOutside;
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void depthChanged() {
            depthChanges++;
        }

        @Override
        public void listGone(boolean deleted) {
            kills++;
            killedByDelete = deleted;
        }

        @Override
        public boolean hasStranded() {
            return stranded;
        }

        @Override
        public boolean reapStranded() {
            reaps++;
            if (reapFailure != null) {
                throw reapFailure;
            }
            return reapResults.isEmpty() || reapResults.removeFirst();
        }

        @Override
        public void discardStranded() {
            discards++;
        }
    }

    int headerBlock() {
        return pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
    }

    RecordingList register() {
        int address = headerBlock();
        MemorySegment h = executive.memory().resolve(address, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize());
        RecordingList l = new RecordingList(address, h, pool, freed);
        system.register(l.list, false, () -> {
            h.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 0L); // an empty SLIST_HEADER
            LookasideHeader.initialize(h, DepthTuner.MINIMUM_DEPTH, DepthTuner.MAXIMUM_DEPTH, NonPagedPool, TAG, 32);
        });
        return l;
    }

    void delete(RecordingList l) {
        system.delete(DRIVER, false, "ExDeleteNPagedLookasideList", l.address);
    }

    @Test
    void aSnapshotFoldsFirst() {
        RecordingList l = register();
        l.pendingAllocates = 7;
        assertThat(system.find(l.address).orElseThrow().totalAllocates()).isEqualTo(7);
        assertThat(l.folds).isEqualTo(1);
    }

    @Test
    void aResetFoldsBeforeItZeroesSoNoCountFromBeforeTheResetSurvivesIt() {
        RecordingList l = register();
        LookasideHeader.setTotalAllocates(l.header, 3);
        l.pendingAllocates = 5;
        LookasideInfo after = system.resetCounters(l.address);
        assertThat(after.totalAllocates()).isZero();
    }

    @Test
    void aDeleteFoldsBeforeItFlushesSoEntriesHeldOutsideTheHeaderGoToTheFreeRoutine() {
        RecordingList l = register();
        int cached = pool.ExAllocatePoolWithTag(NonPagedPool, 32, TAG);
        l.pendingEntry = cached;
        delete(l);
        assertThat(freed).containsExactly(cached);
        assertThat(l.kills).isEqualTo(1);
        assertThat(l.killedByDelete).isTrue();
    }

    @Test
    void eachScanOfAListTicksItAndANewDepthIsToldToIt() {
        RecordingList l = register();
        LookasideHeader.setTotalAllocates(l.header, 100);
        LookasideHeader.setAllocateMisses(l.header, 100);

        system.adjustLookasideDepth(); // phase 0, non-paged: busy, 4 -> 34
        assertThat(l.ticks).isEqualTo(1);
        assertThat(LookasideHeader.depth(l.header)).isEqualTo(34);
        assertThat(l.depthChanges).isEqualTo(1);

        system.adjustLookasideDepth(); // phase 1, paged: not this list
        system.adjustLookasideDepth(); // phase 2, system lists
        assertThat(l.ticks).isEqualTo(1);

        system.adjustLookasideDepth(); // phase 0 again: idle, 34 -> 24
        system.adjustLookasideDepth();
        system.adjustLookasideDepth();
        system.adjustLookasideDepth(); // 24 -> 14
        system.adjustLookasideDepth();
        system.adjustLookasideDepth();
        system.adjustLookasideDepth(); // 14 -> 4
        assertThat(l.depthChanges).isEqualTo(4);
        system.adjustLookasideDepth();
        system.adjustLookasideDepth();
        system.adjustLookasideDepth(); // 4 stays 4: nothing to tell
        assertThat(l.ticks).isEqualTo(5);
        assertThat(l.depthChanges).isEqualTo(4);
    }

    @Test
    void setDepthTellsTheListOnlyWhenTheDepthChanges() {
        RecordingList l = register();
        system.setDepth(l.address, 9);
        assertThat(l.depthChanges).isEqualTo(1);
        system.setDepth(l.address, 9);
        assertThat(l.depthChanges).isEqualTo(1);
    }

    @Test
    void aDeletedListWithStrandedEntriesIsReapedAtEachScanUntilNothingIsLeft() {
        RecordingList l = register();
        l.stranded = true;
        l.reapResults.add(false);
        delete(l);
        assertThat(l.reaps).isZero();

        system.adjustLookasideDepth();
        assertThat(l.reaps).isEqualTo(1);
        system.adjustLookasideDepth();
        assertThat(l.reaps).isEqualTo(2); // this one returned true: done
        system.adjustLookasideDepth();
        assertThat(l.reaps).isEqualTo(2);
        assertThat(faults).isEmpty();
    }

    @Test
    void aListWithoutStrandedEntriesIsNeverReaped() {
        RecordingList l = register();
        delete(l);
        system.adjustLookasideDepth();
        assertThat(l.reaps).isZero();
    }

    @Test
    void aReapThatFailsIsItsOwnersBugCheckAndTheRestIsForgotten() {
        RecordingList l = register();
        l.stranded = true;
        l.reapFailure = new IllegalStateException("the Free routine threw");
        delete(l);

        system.adjustLookasideDepth();

        assertThat(faults).singleElement().satisfies(f -> {
            assertThat(f.getKey()).isEqualTo(DRIVER);
            assertThat(f.getValue().code()).isEqualTo(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
            assertThat(f.getValue()).hasRootCauseMessage("the Free routine threw");
        });
        assertThat(l.discards).isEqualTo(1);
        system.adjustLookasideDepth();
        assertThat(l.reaps).isEqualTo(1);
    }

    @Test
    void aPurgeForgetsTheOwnersStrandedEntriesWithoutCallingIt() {
        RecordingList l = register();
        l.stranded = true;
        l.reapResults.add(false);
        delete(l);

        system.purge(new Owner("Someone else", 9));
        assertThat(l.discards).isZero();
        system.purge(DRIVER);
        assertThat(l.discards).isEqualTo(1);

        system.adjustLookasideDepth();
        assertThat(l.reaps).isZero();
    }

    @Test
    void aListWhoseHeaderWasFreedWithoutADeleteIsDroppedWhenItsHeaderIsReused() {
        RecordingList old = register();
        pool.ExFreePool(old.address);
        MemorySegment h = executive.memory().resolve(headerBlockAt(old.address), NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize());
        RecordingList reuse = new RecordingList(old.address, h, pool, freed);

        system.register(reuse.list, false, () -> LookasideHeader.initialize(h, 4, 256, NonPagedPool, TAG, 32));

        assertThat(old.kills).isEqualTo(1);
        assertThat(old.killedByDelete).isFalse();
        assertThat(old.isLive()).isFalse();
        assertThat(reuse.isLive()).isTrue();
        assertThat(faults).singleElement().satisfies(f -> assertThat(f.getValue().code())
                .isEqualTo(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS));
        assertThatThrownBy(() -> system.render(0x1234_5678)).hasMessageContaining("never initialized");
    }

    /** Allocates header blocks until the pool hands back {@code address} (the stand-in reuses freed blocks). */
    int headerBlockAt(int address) {
        for (int i = 0; i < 64; i++) {
            int a = headerBlock();
            if (a == address) {
                return a;
            }
        }
        throw new AssertionError(String.format("the pool did not reuse %08X", address));
    }

    @Test
    void listsOfOneImplementationLeaveTheOthersOut() {
        RecordingList recording = register();
        LookasideLists nt = system.provider("nt").forDriver(DRIVER, pool);
        int l = headerBlock();
        nt.ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);
        assertThat(system.lists("nt")).extracting(LookasideInfo::address).containsExactly(l);
        assertThat(system.lists("recording")).extracting(LookasideInfo::address).containsExactly(recording.address);
        assertThat(system.lists()).hasSize(2);
        assertThat(system.renderAll()).contains(String.format("%08X", l)).contains(String.format("%08X", recording.address));
        assertThat(recording.list.toString()).isEqualTo(String.format("recording lookaside list at %08X (owner %s)",
                recording.address, DRIVER));
    }

    @Test
    void currentDepthCountsWhatTheCacheHoldsBesideListHeadAndADeleteFlushesTheCacheFirst() {
        RecordingList l = register();
        int entry = pool.ExAllocatePoolWithTag(NonPagedPool, 32, TAG);
        l.slists.push(l.header, entry);
        l.cachedOutside = 2;
        assertThat(system.find(l.address).orElseThrow().currentDepth()).isEqualTo(3);

        delete(l);

        assertThat(l.flushes).isEqualTo(1);
        assertThat(freed).as("then ListHead's entry to the Free routine").containsExactly(entry);
    }

    @Test
    void theHandleACacheSeesIsItsListAndSaysWhatBecameOfIt() {
        RecordingList recording = register();
        LookasideListHandle handle = recording.list;
        assertThat(handle.address()).isEqualTo(recording.address);
        assertThat(handle.header()).isSameAs(recording.header);
        assertThat(handle.memory()).isSameAs(executive.memory());
        assertThat(handle.owner()).isEqualTo(DRIVER);
        assertThat(handle.isLive()).isTrue();
        int entry = pool.ExAllocatePoolWithTag(NonPagedPool, 32, TAG);
        handle.freeToRoutine(entry);
        assertThat(freed).containsExactly(entry);

        delete(recording);

        assertThat(handle.isLive()).isFalse();
        assertThat(handle.noLiveList("ExAllocateFromNPagedLookasideList"))
                .satisfies(b -> assertThat(b.code()).isEqualTo(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA))
                .hasMessageContaining("ExAllocateFromNPagedLookasideList(%08X)", recording.address)
                .hasMessageContaining("recording list").hasMessageContaining("deleted by " + DRIVER);
    }

    @Test
    void aGoneListsFateNamesItsImplementationAndTag() {
        LookasideLists nt = system.provider("nt").forDriver(DRIVER, pool);
        int l = headerBlock();
        nt.ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);
        nt.ExDeleteNPagedLookasideList(l);
        assertThatThrownBy(() -> nt.ExAllocateFromNPagedLookasideList(l)).isInstanceOf(BugCheck.class)
                .hasMessageContaining("the nt list with tag " + PoolTag.toString(TAG) + " there was deleted by");
    }

    @Test
    void theLast256GoneListsFatesAreRemembered() {
        LookasideLists nt = system.provider("nt").forDriver(DRIVER, pool);
        int[] gone = new int[257];
        for (int i = 0; i < gone.length; i++) {
            gone[i] = headerBlock();
            nt.ExInitializeNPagedLookasideList(gone[i], null, null, 0, 24, TAG, 0);
        }
        for (int g : gone) {
            nt.ExDeleteNPagedLookasideList(g);
        }
        assertThatThrownBy(() -> system.render(gone[0])).hasMessageContaining("never initialized");
        assertThatThrownBy(() -> system.render(gone[1])).hasMessageContaining("there was deleted by");
    }

    @Test
    void dsActivationStartsTheTunerAndTheSystemNamesItsPool() {
        LookasideSystem ds = new LookasideSystem(executive, new ManualTicker());
        try {
            assertThat(ds.balanceSetManager().state()).isEqualTo(Service.State.NEW);
            ds.activate();
            assertThat(ds.balanceSetManager().state()).isEqualTo(Service.State.RUNNING);
            assertThat(ds.executivePool()).isSameAs(executive);
        } finally {
            ds.close();
        }
    }
}
