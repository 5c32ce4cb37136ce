package dev.ringzero.magazine;

import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.tck.LookasideListsContract;
import dev.ringzero.tck.PoolUnderTest;
import dev.ringzero.tck.TestExecutivePool;

/** The lookaside contract (allocator-tck) for {@code magazine} on the stand-in pool: one thread sees NT's list exactly. */
class MagazineLookasideListsTest extends LookasideListsContract {

    @Override
    protected LookasidePolicy policy() {
        return new MagazinePolicy();
    }

    @Override
    protected PoolUnderTest newPool() {
        return new TestExecutivePool();
    }
}
