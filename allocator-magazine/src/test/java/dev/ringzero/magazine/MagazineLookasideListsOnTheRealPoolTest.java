package dev.ringzero.magazine;

import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.tck.LookasideListsContract;

/** The lookaside contract (allocator-tck) for {@code magazine}, on the real executive pool (the suite's default). */
class MagazineLookasideListsOnTheRealPoolTest extends LookasideListsContract {

    @Override
    protected LookasidePolicy policy() {
        return new MagazinePolicy();
    }
}
