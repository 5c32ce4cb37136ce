package dev.ringzero.distribution.allocators;

import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.tck.LookasideListsContract;

/**
 * The lookaside contract suite (allocator-tck) for the guide's {@code guarded} policy: what
 * docs/writing-an-allocator.md asks of every implementation before it is deployed. An IT: the distribution module
 * runs failsafe only.
 *
 * <p>On the real pool (the suite's default), though no {@code ServiceLoader} finds this policy here — as none finds
 * one deployed into {@code allocators/}: its refills are charged to the line that allocated because the pool passes
 * over the frames of any lookaside cache's code on the stack (allocator-pool's {@code ExecutiveFrames.site}).
 */
class GuardedPolicyTckIT extends LookasideListsContract {

    @Override
    protected LookasidePolicy policy() {
        return new GuardedPolicy();
    }
}
