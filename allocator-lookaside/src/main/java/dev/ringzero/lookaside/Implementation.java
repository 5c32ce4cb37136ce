package dev.ringzero.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import dev.ringzero.spi.lookaside.LookasideProvider;
import java.util.List;
import java.util.Objects;

/**
 * One registered implementation, as the host sees it: the executive's {@link LookasideProvider} around an
 * author's {@link LookasidePolicy}. Its {@link #forDriver} views are the executive's routines
 * ({@link LookasideView}), which make new lists with the policy; whether it may still make them is the
 * registry's ({@link LookasideSystem#retire}).
 */
final class Implementation implements LookasideProvider {

    private final LookasideSystem system;
    final LookasidePolicy policy;
    private final String name;
    /** Set once, under the registry's lock, when the implementation is retired: it makes no new lists. */
    volatile boolean retired;
    /** Run when a retired implementation's last list goes. Guarded by the registry's lock. */
    Runnable whenGone;

    Implementation(LookasideSystem system, LookasidePolicy policy) {
        this.system = Objects.requireNonNull(system, "system");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.name = Objects.requireNonNull(policy.name(), "policy.name()");
    }

    LookasideSystem system() {
        return system;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LookasideLists forDriver(Owner owner, PoolAllocator pool) {
        return new LookasideView(system, owner, pool, this);
    }

    @Override
    public List<LookasideInfo> lists() {
        return system.lists(name);
    }

    @Override
    public String toString() {
        return "lookaside implementation " + name;
    }
}
