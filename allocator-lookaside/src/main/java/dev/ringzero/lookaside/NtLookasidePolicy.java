package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;

/**
 * The {@code nt} lookaside implementation: NT's lists, header and counters in the caller's memory,
 * one CAS per allocate or free ({@link NtLookasideList}). Built in: every {@link LookasideSystem} registers
 * it first, so it is the default, and it cannot be unregistered.
 */
public final class NtLookasidePolicy implements LookasidePolicy {

    @Override
    public String name() {
        return NtLookasideList.NAME;
    }

    @Override
    public LookasideCache newCache(LookasideListHandle list) {
        return new NtLookasideList(list);
    }

    @Override
    public String toString() {
        return "lookaside policy " + NtLookasideList.NAME;
    }
}
