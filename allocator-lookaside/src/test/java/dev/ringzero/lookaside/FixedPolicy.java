package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;

/**
 * A policy that hands out one prepared cache: lets a registry test register a {@link RegisteredList} whose cache it
 * holds (a recording or exploding one) without going through a driver's routines.
 */
final class FixedPolicy implements LookasidePolicy {

    private final String name;
    private final LookasideCache cache;

    FixedPolicy(String name, LookasideCache cache) {
        this.name = name;
        this.cache = cache;
    }

    /** The executive's implementation around a policy that always returns {@code cache}; not registered by name. */
    static Implementation of(LookasideSystem system, String name, LookasideCache cache) {
        return new Implementation(system, new FixedPolicy(name, cache));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LookasideCache newCache(LookasideListHandle list) {
        return cache;
    }
}
