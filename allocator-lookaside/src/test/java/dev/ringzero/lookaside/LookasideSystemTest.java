package dev.ringzero.lookaside;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Service;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideServices;
import dev.ringzero.tck.TestExecutivePool;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a host gets the lookaside services without OSGi: the API's factory, the providers, ServiceLoader. */
class LookasideSystemTest {

    static final Owner DRIVER = new Owner("Loaded", 3);
    static final int TAG = PoolTag.of("daoL");

    TestExecutivePool executive;

    @BeforeEach
    void setUp() {
        executive = new TestExecutivePool();
    }

    @AfterEach
    void tearDown() {
        executive.close();
    }

    int header(PoolAllocator pool) {
        return pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
    }

    @Test
    void theServiceLoadedFactoryBuildsTheRegistryAndProvidersWithTheGivenClock() {
        LookasideSystemTest.class.getModule().addUses(LookasideServices.Factory.class);
        LookasideServices.Factory factory = ServiceLoader.load(LookasideServices.Factory.class).findFirst().orElseThrow();
        AtomicLong nanos = new AtomicLong();
        try (LookasideServices services = factory.create(executive, nanos::get, false)) {
            assertThat(services.providers()).extracting(LookasideProvider::name).containsExactly("nt");
            PoolAllocator pool = executive.forDriver(DRIVER);
            LookasideLists lists = services.providers().getFirst().forDriver(DRIVER, pool);
            int l = header(pool);
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);
            for (int i = 0; i < 100; i++) {
                lists.ExAllocateFromNPagedLookasideList(l);
            }
            services.registry().adjustLookasideDepth();
            assertThat(services.registry().find(l)).get().extracting(LookasideInfo::depth).isEqualTo(34);
            assertThat(((LookasideSystem) services.registry()).balanceSetManager().state()).isEqualTo(Service.State.NEW);
        }
    }

    @Test
    void theFactoryStartsTheTunerWhenAskedAndCloseStopsIt() {
        LookasideServices services = new LookasideServicesFactory().create(executive, () -> 0L, true);
        Service tuner = ((LookasideSystem) services.registry()).balanceSetManager();
        assertThat(tuner.state()).isEqualTo(Service.State.RUNNING);
        services.close();
        assertThat(tuner.state()).isEqualTo(Service.State.TERMINATED);
    }

    @Test
    void offersNtByNameAsTheDefault() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            assertThat(system.providers()).extracting(LookasideProvider::name).first().isEqualTo("nt");
            assertThat(system.provider("nt").name()).isEqualTo("nt");
            assertThatThrownBy(() -> system.provider("slab")).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("known: [nt]");
        }
    }

    /** A third implementation for the registry's tests: nt's policy under another name. */
    static LookasidePolicy renamedNt(String name) {
        return new LookasidePolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public LookasideCache newCache(LookasideListHandle list) {
                return new NtLookasideList(list);
            }
        };
    }

    @Test
    void aRegisteredPolicyMakesTheListsOfItsProviderAndASecondOfTheSameNameIsRefused() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            LookasideProvider slab = system.register(renamedNt("slab"));
            assertThat(system.providers()).extracting(LookasideProvider::name).containsExactly("nt", "slab");
            assertThat(slab).hasToString("lookaside implementation slab");
            PoolAllocator pool = executive.forDriver(DRIVER);
            int l = header(pool);
            slab.forDriver(DRIVER, pool).ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);
            assertThat(system.find(l)).get().extracting(LookasideInfo::implementation).isEqualTo("slab");
            assertThat(slab.lists()).extracting(LookasideInfo::address).containsExactly(l);
            assertThatThrownBy(() -> system.register(renamedNt("slab"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'slab' is registered already");
            assertThatThrownBy(() -> system.register(renamedNt("nt"))).isInstanceOf(IllegalArgumentException.class);
            slab.forDriver(DRIVER, pool).ExDeleteNPagedLookasideList(l);
        }
    }

    @Test
    void unregisterRefusesWhileTheImplementationServesListsNamingTheirDriversAndNeverRemovesNt() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            LookasideProvider slab = system.register(renamedNt("slab"));
            PoolAllocator pool = executive.forDriver(DRIVER);
            LookasideLists lists = slab.forDriver(DRIVER, pool);
            int l = header(pool);
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);

            assertThatThrownBy(() -> system.unregister("slab")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("still serves lists of " + DRIVER.name());
            assertThatThrownBy(() -> system.unregister("nt")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("built-in");
            assertThatThrownBy(() -> system.unregister("none")).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("known: [nt, slab]");

            lists.ExDeleteNPagedLookasideList(l);
            system.unregister("slab");
            assertThat(system.providers()).extracting(LookasideProvider::name).containsExactly("nt");
        }
    }

    @Test
    void aRetiredImplementationsListsKeepWorkingUntilDeletedThenItIsGoneAndNewListsAreRefused() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            LookasideProvider slab = system.register(renamedNt("slab"));
            PoolAllocator pool = executive.forDriver(DRIVER);
            LookasideLists lists = slab.forDriver(DRIVER, pool);
            int l = header(pool);
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);
            int freesBefore = executive.frees(DRIVER);
            AtomicInteger gone = new AtomicInteger();

            List<LookasideInfo> serving = system.retire("slab", gone::incrementAndGet);

            assertThat(serving).extracting(LookasideInfo::owner).containsExactly(DRIVER);
            assertThat(gone).hasValue(0);
            int e = lists.ExAllocateFromNPagedLookasideList(l);
            lists.ExFreeToNPagedLookasideList(l, e);
            assertThat(lists.query(l).currentDepth()).isEqualTo(1);
            int other = header(pool);
            assertThatThrownBy(() -> lists.ExInitializeNPagedLookasideList(other, null, null, 0, 24, TAG, 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'slab'");
            assertThat(system.find(other)).isEmpty();

            lists.ExDeleteNPagedLookasideList(l);

            assertThat(executive.frees(DRIVER) - freesBefore).as("the cached entry went back at the delete").isEqualTo(1);
            assertThat(gone).hasValue(1);
            assertThat(system.providers()).extracting(LookasideProvider::name).containsExactly("nt");
        }
    }

    @Test
    void aRetiredImplementationWhoseLastListIsPurgedIsGoneOnceAndAnUnregisteredOnesProviderMakesNoList() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            LookasideProvider slab = system.register(renamedNt("slab"));
            LookasideProvider other = system.register(renamedNt("other"));
            PoolAllocator pool = executive.forDriver(DRIVER);
            LookasideLists lists = slab.forDriver(DRIVER, pool);
            int l = header(pool);
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);
            int m = header(pool);
            assertThatThrownBy(() -> {
                system.retire("slab", () -> { });
                lists.ExInitializeNPagedLookasideList(m, null, null, 0, 24, TAG, 0);
            }).isInstanceOf(IllegalStateException.class).hasMessageContaining("'slab' is being removed");
            AtomicInteger gone = new AtomicInteger();
            system.retire("slab", gone::incrementAndGet); // a second retire replaces the callback

            system.purge(DRIVER);

            assertThat(gone).as("its last list purged: gone").hasValue(1);
            system.unregister("other");
            LookasideLists late = other.forDriver(DRIVER, pool);
            assertThatThrownBy(() -> late.ExInitializeNPagedLookasideList(m, null, null, 0, 24, TAG, 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'other' is no longer registered");
            system.adjustLookasideDepth();
            assertThat(gone).as("run once, not at every later tick").hasValue(1);
            assertThat(system.providers()).extracting(LookasideProvider::name).containsExactly("nt");
        }
    }

    @Test
    void aRetiredImplementationWhoseLastListTheTunerDropsIsGone() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            LookasideProvider slab = system.register(renamedNt("slab"));
            PoolAllocator pool = executive.forDriver(DRIVER);
            int l = header(pool);
            slab.forDriver(DRIVER, pool).ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);
            AtomicInteger gone = new AtomicInteger();
            system.retire("slab", gone::incrementAndGet);
            pool.ExFreePool(l); // the header freed without a delete: the tuner's scan drops the list (0xCE)

            system.adjustLookasideDepth();

            assertThat(system.find(l)).isEmpty();
            assertThat(gone).hasValue(1);
        }
    }

    @Test
    void retiringAnIdleImplementationRemovesItAtOnce() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            system.register(renamedNt("slab"));
            AtomicInteger gone = new AtomicInteger();
            assertThat(system.retire("slab", gone::incrementAndGet)).isEmpty();
            assertThat(gone).hasValue(1);
            assertThat(system.providers()).extracting(LookasideProvider::name).containsExactly("nt");
            assertThatThrownBy(() -> system.retire("nt", () -> { })).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void listsStayWithTheSystemWhicheverViewMadeThem() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            PoolAllocator pool = executive.forDriver(DRIVER);
            LookasideLists first = system.provider("nt").forDriver(DRIVER, pool);
            LookasideLists second = system.provider("nt").forDriver(DRIVER, pool);
            int l = header(pool);
            first.ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);
            int e = second.ExAllocateFromNPagedLookasideList(l);
            first.ExFreeToNPagedLookasideList(l, e);
            assertThat(second.query(l).currentDepth()).isEqualTo(1);
            second.ExDeleteNPagedLookasideList(l);
            assertThat(system.lists()).isEmpty();
        }
    }
}
