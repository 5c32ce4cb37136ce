package dev.ringzero.tck;

import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.memory.ExecutivePool;
import dev.ringzero.spi.memory.PoolBlockInfo;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real executive pool (allocator-pool, found with ServiceLoader as the host finds it: its package is not
 * exported) for the lookaside contract. Its views
 * count frees and fail allocations on request, the two controls the contract needs that the API does not offer;
 * everything else, bug checks included, is the real pool's own.
 */
public final class RealExecutivePool implements PoolUnderTest {

    private final ExecutivePool pool = load();
    private final Map<Owner, AtomicInteger> frees = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();

    private static ExecutivePool load() {
        // the tests run inside this module, whose module-info declares no `uses` (the main code needs none)
        RealExecutivePool.class.getModule().addUses(ExecutivePool.class);
        return ServiceLoader.load(ExecutivePool.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no ExecutivePool provider: allocator-pool is not on the test path"));
    }

    @Override
    public void failNextAllocations(int n) {
        failures.set(n);
    }

    @Override
    public int frees(Owner owner) {
        return frees.computeIfAbsent(owner, o -> new AtomicInteger()).get();
    }

    @Override
    public PoolBlockInfo block(int address) {
        for (Owner owner : frees.keySet()) {
            for (PoolBlockInfo b : pool.outstanding(owner)) {
                if (b.address() == address) {
                    return b;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            ((AutoCloseable) pool).close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the pool", e);
        }
    }

    /** Whether the test told this allocation to fail (it raises instead when the pool type asks for that). */
    private boolean toldToFail(int poolType) {
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
            return false;
        }
        if ((poolType & PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE) != 0) {
            throw new NtStatusException(NtStatus.STATUS_INSUFFICIENT_RESOURCES, "told to fail by the test");
        }
        return true;
    }

    /** The pool's own view for {@code owner}, without this class's counting and failing in between. */
    PoolAllocator unwrapped(Owner owner) {
        return pool.forDriver(owner);
    }

    @Override
    public PoolAllocator forDriver(Owner owner) {
        PoolAllocator real = pool.forDriver(owner);
        AtomicInteger freed = frees.computeIfAbsent(owner, o -> new AtomicInteger());
        return new PoolAllocator() {
            @Override
            public int ExAllocatePoolWithTag(int poolType, long numberOfBytes, int tag) {
                return toldToFail(poolType) ? 0 : real.ExAllocatePoolWithTag(poolType, numberOfBytes, tag);
            }

            @Override
            public void ExFreePoolWithTag(int address, int tag) {
                real.ExFreePoolWithTag(address, tag);
                freed.incrementAndGet();
            }

            @Override
            public int ExAllocatePoolWithTagPriority(int poolType, long numberOfBytes, int tag, int priority) {
                return toldToFail(poolType) ? 0 : real.ExAllocatePoolWithTagPriority(poolType, numberOfBytes, tag, priority);
            }

            @Override
            public long ExQueryPoolBlockSize(int address) {
                return real.ExQueryPoolBlockSize(address);
            }

            @Override
            public SystemMemory memory() {
                return real.memory();
            }

            @Override
            public Owner owner() {
                return owner;
            }

            @Override
            public boolean isVerified() {
                return real.isVerified();
            }
        };
    }

    @Override
    public SystemMemory memory() {
        return pool.memory();
    }

    @Override
    public List<PoolTagUsage> usage() {
        return pool.usage();
    }

    @Override
    public long bytesInUse() {
        return pool.bytesInUse();
    }

    @Override
    public List<PoolBlockInfo> outstanding(Owner owner) {
        return pool.outstanding(owner);
    }

    @Override
    public int reclaim(Owner owner) {
        return pool.reclaim(owner);
    }

    @Override
    public void revoke(Owner owner) {
        pool.revoke(owner);
    }

    @Override
    public void setVerified(Owner owner, boolean verified) {
        pool.setVerified(owner, verified);
    }

    @Override
    public void setVerifiedByDefault(boolean verified) {
        pool.setVerifiedByDefault(verified);
    }

    @Override
    public boolean isVerified(Owner owner) {
        return pool.isVerified(owner);
    }

    @Override
    public void setSpecialPool(Owner owner, boolean special) {
        pool.setSpecialPool(owner, special);
    }

    @Override
    public void setSpecialPoolTag(String tagPattern, boolean special) {
        pool.setSpecialPoolTag(tagPattern, special);
    }

    @Override
    public List<String> specialPoolTags() {
        return pool.specialPoolTags();
    }

    @Override
    public void setLookasideMark(int address, boolean live) {
        pool.setLookasideMark(address, live);
    }

    @Override
    public boolean hasLookasideMark(int address) {
        return pool.hasLookasideMark(address);
    }

    @Override
    public dev.ringzero.api.BugCheck translateFault(Throwable fault) {
        return pool.translateFault(fault);
    }

    @Override
    public String renderPoolUsed(ExecutivePool.PoolUsedSort sort, String tagPattern) {
        return pool.renderPoolUsed(sort, tagPattern);
    }
}
