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
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideServices;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;
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

    static LookasideProvider loadNt() {
        LookasideSystemTest.class.getModule().addUses(LookasideProvider.class);
        return ServiceLoader.load(LookasideProvider.class, LookasideSystemTest.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("nt")).findFirst().orElseThrow();
    }

    @Test
    void theServiceLoadedFactoryBuildsTheRegistryAndProvidersWithTheGivenClock() {
        LookasideSystemTest.class.getModule().addUses(LookasideServices.Factory.class);
        LookasideServices.Factory factory = ServiceLoader.load(LookasideServices.Factory.class).findFirst().orElseThrow();
        AtomicLong nanos = new AtomicLong();
        try (LookasideServices services = factory.create(executive, nanos::get, false)) {
            assertThat(services.providers()).extracting(LookasideProvider::name).containsExactly("nt", "magazine");
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
                    .hasMessageContaining("known: [nt, magazine]");
        }
    }

    @Test
    void aServiceLoadedNtServesTheSystemOfItsPoolsAddressSpace() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            PoolAllocator pool = executive.forDriver(DRIVER);
            LookasideLists lists = loadNt().forDriver(DRIVER, pool);
            int l = header(pool);
            lists.ExInitializeNPagedLookasideList(l, null, null, 0, 24, TAG, 0);
            assertThat(system.lists()).extracting(LookasideInfo::address, LookasideInfo::owner)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(l, DRIVER));
            lists.ExDeleteNPagedLookasideList(l);
        }
    }

    @Test
    void aServiceLoadedNtWithoutASystemSaysWhatToDo() {
        LookasideProvider nt = loadNt();
        assertThatThrownBy(() -> nt.forDriver(DRIVER, executive.forDriver(DRIVER)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("LookasideSystem.create");
        assertThat(nt.lists()).isEmpty();
    }

    @Test
    void aClosedSystemNoLongerServesServiceLoadedProviders() {
        LookasideSystem system = LookasideSystem.create(executive, new ManualTicker());
        system.close();
        assertThatThrownBy(() -> loadNt().forDriver(DRIVER, executive.forDriver(DRIVER)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void listsStayWithTheSystemWhicheverViewMadeThem() {
        try (LookasideSystem system = LookasideSystem.create(executive, new ManualTicker())) {
            PoolAllocator pool = executive.forDriver(DRIVER);
            LookasideLists first = system.provider("nt").forDriver(DRIVER, pool);
            LookasideLists second = new NtLookasideProvider(system).forDriver(DRIVER, pool);
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
