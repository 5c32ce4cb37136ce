package dev.ringzero.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.lookaside.LookasideProvider;
import java.util.List;
import java.util.Objects;

/**
 * What every lookaside implementation's provider does the same way: it is bound to one
 * {@link LookasideSystem} (made by {@link LookasideSystem#providers()} or by Declarative Services), or —
 * made by {@link java.util.ServiceLoader} with no system — it serves the system of each caller's address
 * space. Subclasses name the implementation and make its driver views.
 */
abstract class SystemBoundProvider implements LookasideProvider {

    /** {@code null} when made by ServiceLoader: found per pool view then. */
    private final LookasideSystem system;
    private final String name;

    SystemBoundProvider(LookasideSystem system, String name) {
        this.system = system;
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The implementation's view of the lookaside routines for {@code owner}. */
    abstract LookasideLists newLists(LookasideSystem system, Owner owner, PoolAllocator pool);

    @Override
    public final String name() {
        return name;
    }

    /**
     * @throws IllegalStateException when made by ServiceLoader and no {@link LookasideSystem} serves the
     *                               address space of {@code pool}
     */
    @Override
    public final LookasideLists forDriver(Owner owner, PoolAllocator pool) {
        return newLists(systemFor(pool), owner, pool);
    }

    @Override
    public final List<LookasideInfo> lists() {
        return system != null ? system.lists(name) : List.of();
    }

    private LookasideSystem systemFor(PoolAllocator pool) {
        if (system != null) {
            return system;
        }
        return LookasideSystem.forMemory(pool.memory()).orElseThrow(() -> new IllegalStateException(
                "no LookasideSystem serves this pool's address space: create one first with "
                        + "LookasideServices.Factory.create(pool, clock, startTuner) (found by ServiceLoader), "
                        + "or LookasideSystem.create(executivePool, clock) on the class path"));
    }

    @Override
    public final String toString() {
        return "lookaside implementation " + name;
    }
}
