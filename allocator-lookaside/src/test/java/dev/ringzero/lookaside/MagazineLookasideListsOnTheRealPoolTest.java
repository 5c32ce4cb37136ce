package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasideProvider;

/** The lookaside contract for the {@code magazine} implementation, on the real executive pool. */
class MagazineLookasideListsOnTheRealPoolTest extends LookasideListsContract {

    @Override
    protected LookasideProvider provider(LookasideSystem system) {
        return system.provider("magazine");
    }

    @Override
    protected PoolUnderTest newPool() {
        return new RealExecutivePool();
    }
}
