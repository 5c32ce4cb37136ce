package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.tck.LookasideListsContract;

/** The lookaside contract (allocator-tck) for the {@code nt} implementation, on the real executive pool. */
class NtLookasideListsOnTheRealPoolTest extends LookasideListsContract {

    @Override
    protected LookasidePolicy policy() {
        return new NtLookasidePolicy();
    }

    /** The built-in, as every host has it: the registry's first. */
    @Override
    protected LookasideProvider provider(LookasideRegistry registry) {
        return registry.providers().getFirst();
    }
}
