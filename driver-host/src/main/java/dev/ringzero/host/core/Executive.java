package dev.ringzero.host.core;

import dev.ringzero.api.lookaside.LookasideProvider;
import dev.ringzero.api.lookaside.LookasideRegistry;
import dev.ringzero.api.memory.ExecutivePool;
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

    /** Adds (or replaces) an implementation; it is not selected. */
    public synchronized void addLookaside(LookasideProvider provider) {
        providers.put(provider.name(), provider);
    }
}
