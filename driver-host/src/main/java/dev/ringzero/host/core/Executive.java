package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.spi.memory.ExecutivePool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The executive's services one host runs on: the pool (which owns the address space), the
 * system-wide lookaside registry with its tuner, and the lookaside implementations by name, one of
 * them selected for new lists.
 *
 * <p>The Felix host fills it from the OSGi registry; the in-process runner and the test kit build it
 * directly. Selecting another implementation affects only lists initialized afterwards: a list stays
 * with the implementation that made it until it is deleted.
 */
public final class Executive {

    private final ExecutivePool pool;
    private final LookasideRegistry lookasideRegistry;
    private final Map<String, LookasideProvider> providers = new LinkedHashMap<>();
    private volatile LookasideProvider selected;

    public Executive(ExecutivePool pool, LookasideRegistry lookasideRegistry, List<LookasideProvider> providers) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.lookasideRegistry = Objects.requireNonNull(lookasideRegistry, "lookasideRegistry");
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("no lookaside implementation given");
        }
        providers.forEach(p -> this.providers.put(p.name(), p));
        this.selected = providers.getFirst();
    }

    /**
     * The bug check for a fault in driver code: the pool's translation, which knows its blocks (an access
     * beyond the end of a special-pool block is 0xD6); see {@link ExecutivePool#translateFault}.
     */
    public BugCheck translateFault(Throwable fault) {
        return pool.translateFault(fault);
    }

    public ExecutivePool pool() {
        return pool;
    }

    public LookasideRegistry lookasideRegistry() {
        return lookasideRegistry;
    }

    /** The implementation new lists get. */
    public LookasideProvider selectedLookaside() {
        return selected;
    }

    /** The implementations, by name. */
    public synchronized Map<String, LookasideProvider> lookasideProviders() {
        return Map.copyOf(providers);
    }

    /**
     * Makes {@code name} the implementation for new lists.
     *
     * @throws IllegalArgumentException naming the known implementations when {@code name} is not one
     */
    public synchronized void selectLookaside(String name) {
        LookasideProvider p = providers.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no lookaside implementation '" + name + "'; known: " + providers.keySet());
        }
        selected = p;
    }

    /**
     * Removes an implementation, refusing while it still serves lists (they stay with the implementation
     * that made them until they are deleted) or while it is the one selected for new lists.
     *
     * @throws IllegalArgumentException when there is no such implementation
     * @throws IllegalStateException    naming the drivers whose lists it still serves, or saying it is selected
     */
    public synchronized void removeLookaside(String name) {
        LookasideProvider p = providers.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no lookaside implementation '" + name + "'; known: " + providers.keySet());
        }
        List<String> owners = p.lists().stream().map(l -> l.owner().name()).distinct().sorted().toList();
        if (!owners.isEmpty()) {
            throw new IllegalStateException("lookaside implementation '" + name + "' still serves " + p.lists().size()
                    + " list(s) of " + String.join(", ", owners) + "; unload them (or let them delete their lists) first");
        }
        if (p == selected) {
            throw new IllegalStateException("lookaside implementation '" + name + "' is selected for new lists; select another first");
        }
        providers.remove(name);
    }

    /** Adds (or replaces) an implementation; it is not selected. */
    public synchronized void addLookaside(LookasideProvider provider) {
        providers.put(provider.name(), provider);
    }
}
