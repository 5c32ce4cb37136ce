package dev.ringzero.host.allocators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.host.core.Executive;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.memory.ExecutivePool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AllocatorCatalogTest {

    /** An implementation whose lists the test sets by hand. */
    private static final class Fake implements LookasideProvider {
        final String name;
        final List<LookasideInfo> lists = new CopyOnWriteArrayList<>();

        Fake(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public LookasideLists forDriver(Owner owner, PoolAllocator pool) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public List<LookasideInfo> lists() {
            return lists;
        }

        void serve(String driver) {
            lists.add(new LookasideInfo(0x80010000 + lists.size() * 0x40, new Owner(driver, 1), name, 1, 0x6D676552, 32,
                    0, 4, 256, 0, 0, 0, 0));
        }
    }

    /** The deployed policy: the registry (mocked) makes {@link #guarded}, the executive's provider, for it. */
    private static final class GuardedPolicy implements LookasidePolicy {
        @Override
        public String name() {
            return "guarded";
        }

        @Override
        public LookasideCache newCache(LookasideListHandle list) {
            throw new UnsupportedOperationException("not used here");
        }
    }

    private final Fake nt = new Fake("nt");
    private final Fake guarded = new Fake("guarded");
    private final GuardedPolicy policy = new GuardedPolicy();
    private final LookasideRegistry registry = mock(LookasideRegistry.class);
    private final Executive executive = new Executive(mock(ExecutivePool.class), registry, List.of(nt));
    private final List<String> lines = new ArrayList<>();
    private final AllocatorCatalog catalog = new AllocatorCatalog(executive, lines::add);
    /** What the catalog asked the registry to run once the retired implementation is gone. */
    private Runnable whenGone;

    {
        when(registry.register(policy)).thenReturn(guarded);
        when(registry.retire(eq("guarded"), any())).thenAnswer(call -> {
            whenGone = call.getArgument(1);
            List<LookasideInfo> serving = List.copyOf(guarded.lists);
            if (serving.isEmpty()) {
                whenGone.run();
            }
            return serving;
        });
    }

    @Test
    void aDeployedImplementationShouldBeAddedWithItsVersionButNotSelected() {
        assertThat(catalog.deployed(policy, "1.2.0", "allocators/guarded.jar")).isTrue();

        assertThat(executive.lookasideProviders()).containsKey("guarded");
        assertThat(executive.selectedLookaside()).isSameAs(nt);
        assertThat(catalog.render()).contains("* nt       0 list(s)  [built-in]")
                .contains("  guarded  0 list(s)  [1.2.0, allocators/guarded.jar]");
        assertThat(lines).containsExactly("allocators/: 'guarded' 1.2.0 (allocators/guarded.jar) added;"
                + " 'allocators select guarded' makes new lists use it");
    }

    @Test
    void aTakenNameShouldBeRefusedSayingByWhat() {
        LookasidePolicy namesake = mock(LookasidePolicy.class);
        when(namesake.name()).thenReturn("nt");
        assertThat(catalog.deployed(namesake, "1.0.0", "allocators/nt.jar")).isFalse();

        assertThat(executive.lookasideProviders().get("nt")).isSameAs(nt);
        assertThat(lines).containsExactly("allocators/: allocators/nt.jar not added: its implementation's name 'nt' is"
                + " taken by a built-in implementation");
    }

    @Test
    void removeShouldBeRefusedWhileItServesListsNamingTheDrivers() {
        catalog.deployed(policy, "1.0.0", "allocators/guarded.jar");
        guarded.serve("RegMon");
        guarded.serve("Beta");

        assertThat(catalog.remove("guarded")).startsWith("allocators remove: lookaside implementation 'guarded' still serves 2"
                + " list(s) of Beta, RegMon");
        assertThat(executive.lookasideProviders()).containsKey("guarded");
    }

    @Test
    void aJarRemovedWhileServingShouldKeepItsListsDeselectAndReportTheDrivers() {
        catalog.deployed(policy, "1.0.0", "allocators/guarded.jar");
        assertThat(catalog.select("guarded")).startsWith("new lookaside lists use 'guarded'");
        guarded.serve("RegMon");

        catalog.withdrawn(policy);

        assertThat(executive.selectedLookaside()).isSameAs(nt);
        assertThat(executive.lookasideProviders()).containsKey("guarded");
        assertThat(lines.getLast()).isEqualTo("allocators/: allocators/guarded.jar was removed while 'guarded' serves 1"
                + " list(s) of RegMon: they keep working until deleted; new lists use 'nt'");
        assertThat(catalog.render()).contains("jar removed: serves its lists until they are deleted");
        assertThat(catalog.select("guarded")).contains("was removed from allocators/");

        catalog.reap();
        assertThat(executive.lookasideProviders()).containsKey("guarded");   // still serving

        guarded.lists.clear();
        whenGone.run();   // the registry, on the thread that deleted the last list
        catalog.reap();
        assertThat(executive.lookasideProviders()).doesNotContainKey("guarded");
        assertThat(lines.getLast()).isEqualTo("allocators/: 'guarded' 1.0.0 (allocators/guarded.jar, removed) served its"
                + " last list; unregistered");
        assertThat(catalog.render()).doesNotContain("guarded");
    }

    @Test
    void anIdleJarRemovedShouldGoAtOnce() {
        catalog.deployed(policy, "1.0.0", "allocators/guarded.jar");

        catalog.withdrawn(policy);

        assertThat(executive.lookasideProviders()).doesNotContainKey("guarded");
        assertThat(lines.getLast()).isEqualTo("allocators/: 'guarded' 1.0.0 (allocators/guarded.jar) removed");
    }

    @Test
    void removeByTheAdministratorShouldKeepTheJarAndIgnoreItsLaterWithdrawal() {
        catalog.deployed(policy, "1.0.0", "allocators/guarded.jar");

        assertThat(catalog.remove("guarded")).isEqualTo("lookaside implementation 'guarded' removed; its jar"
                + " allocators/guarded.jar stays (drop it there again to add it back)");
        verify(registry).unregister("guarded");
        int before = lines.size();
        catalog.withdrawn(policy);
        assertThat(lines).hasSize(before);
        assertThat(catalog.isDeployed("guarded")).isFalse();
    }
}
