package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasideProvider;

/** The lookaside contract for the {@code nt} implementation, on the real executive pool. */
class NtLookasideListsOnTheRealPoolTest extends LookasideListsContract {

    @Override
    protected LookasideProvider provider(LookasideSystem system) {
        return system.provider("nt");
    }

    @Override
    protected PoolUnderTest newPool() {
        return new RealExecutivePool();
    }
}
