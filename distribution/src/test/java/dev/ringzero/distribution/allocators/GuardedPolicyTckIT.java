package dev.ringzero.distribution.allocators;

import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.tck.LookasideListsContract;

/**
 * The lookaside contract suite (allocator-tck; an IT: the distribution module runs failsafe only) for the guide's {@code guarded} policy, on the real pool: what
 * docs/writing-an-allocator.md asks of every implementation before it is deployed.
 */
class GuardedPolicyTckIT extends LookasideListsContract {

    @Override
    protected LookasidePolicy policy() {
        return new GuardedPolicy();
    }
}
