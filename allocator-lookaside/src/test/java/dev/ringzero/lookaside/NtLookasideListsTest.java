package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.lookaside.LookasideRegistry;
import dev.ringzero.tck.LookasideListsContract;
import dev.ringzero.tck.PoolUnderTest;
import dev.ringzero.tck.TestExecutivePool;

/** The lookaside contract (allocator-tck) for the {@code nt} implementation, on the stand-in pool (fast: PIT runs it). */
class NtLookasideListsTest extends LookasideListsContract {

    @Override
    protected LookasidePolicy policy() {
        return new NtLookasidePolicy();
    }

    /** The built-in, as every host has it: the registry's first. */
    @Override
    protected LookasideProvider provider(LookasideRegistry registry) {
        return registry.providers().getFirst();
    }

    @Override
    protected PoolUnderTest newPool() {
        return new TestExecutivePool();
    }
}
