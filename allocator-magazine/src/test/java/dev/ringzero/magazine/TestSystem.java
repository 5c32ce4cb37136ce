package dev.ringzero.magazine;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.lookaside.LookasideServices;
import dev.ringzero.spi.memory.ExecutivePool;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The executive as a host assembles it ({@link ServiceLoader}, {@code LookasideServices.Factory}), with the tuner's
 * clock frozen (tests call it by hand) and {@code magazine} registered through a policy that remembers the cache it
 * made for each header, so a test can look at a list's magazines.
 */
final class TestSystem implements AutoCloseable {

    private final LookasideServices services;
    private final LookasideRegistry registry;
    /** The cache made last at each header address. */
    private final Map<Integer, MagazineLookasideList> made = new ConcurrentHashMap<>();

    TestSystem(ExecutivePool pool) {
        this(pool, 0);
    }

    /** With {@code stripes} stripes per list (a power of two), or the cores' number when 0. */
    TestSystem(ExecutivePool pool, int stripes) {
        // the tests run inside this module, whose module-info declares no `uses` (the main code needs none)
        TestSystem.class.getModule().addUses(LookasideServices.Factory.class);
        services = ServiceLoader.load(LookasideServices.Factory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no LookasideServices.Factory: allocator-lookaside is not on the test path"))
                .create(pool, () -> 0L, false);
        registry = services.registry();
        if (registry.providers().stream().anyMatch(p -> p.name().equals(MagazineLookasideList.NAME))) {
            registry.unregister(MagazineLookasideList.NAME); // the one ServiceLoader found: replaced by the remembering one
        }
        registry.register(new LookasidePolicy() {
            @Override
            public String name() {
                return MagazineLookasideList.NAME;
            }

            @Override
            public LookasideCache newCache(LookasideListHandle list) {
                MagazineLookasideList cache = stripes == 0 ? new MagazineLookasideList(list)
                        : new MagazineLookasideList(list, stripes);
                made.put(list.address(), cache);
                return cache;
            }
        });
    }

    LookasideProvider provider(String name) {
        return registry.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** The {@code magazine} cache made last at {@code header}. */
    MagazineLookasideList lookup(int header) {
        return made.get(header);
    }

    void adjustLookasideDepth() {
        registry.adjustLookasideDepth();
    }

    void setFaultHandler(BiConsumer<Owner, BugCheck> handler) {
        registry.setFaultHandler(handler);
    }

    List<LookasideInfo> purge(Owner owner) {
        return registry.purge(owner);
    }

    LookasideInfo resetCounters(int address) {
        return registry.resetCounters(address);
    }

    LookasideInfo setDepth(int address, int depth) {
        return registry.setDepth(address, depth);
    }

    @Override
    public void close() {
        services.close();
    }
}
