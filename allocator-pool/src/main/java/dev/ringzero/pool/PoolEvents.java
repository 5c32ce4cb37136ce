package dev.ringzero.pool;

import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Throttle;

/**
 * The pool's JFR events, category {@code Ringzero}: an allocation the pool could not satisfy (on by default;
 * it is rare and it matters), and each allocate and free (off by default and throttled: they are the pool's
 * hot path). {@code etc/ringzero.jfc} in the distribution names them all.
 *
 * <h2>Cost when off</h2>
 * Each emitter makes its event and asks {@link Event#shouldCommit()} before it fills a field: while the event is
 * disabled (or no recording runs) that is one load of a static field and a branch, and the JIT removes the
 * event object (escape analysis). {@code benchmarks/}' {@code JfrOverhead} measures it.
 */
final class PoolEvents {

    private PoolEvents() {
    }

    @Name("dev.ringzero.PoolAllocationFailure")
    @Label("Pool Allocation Failure")
    @Category("Ringzero")
    @Description("An ExAllocatePool... call the pool could not satisfy: it returned NULL or raised STATUS_INSUFFICIENT_RESOURCES")
    @StackTrace(true)
    static final class AllocationFailure extends Event {
        @Label("Pool Type") String poolType;
        @Label("Number Of Bytes") @DataAmount long numberOfBytes;
        @Label("Tag") String tag;
        @Label("Raised") @Description("POOL_RAISE_IF_ALLOCATION_FAILURE: STATUS_INSUFFICIENT_RESOURCES was raised instead of returning NULL")
        boolean raised;
    }

    @Name("dev.ringzero.PoolAllocate")
    @Label("Pool Allocate")
    @Category("Ringzero")
    @Description("One pool allocation (off by default; throttled)")
    @Enabled(false)
    @Throttle("100/s")
    @StackTrace(false)
    static final class Allocate extends Event {
        @Label("Address") @Description("The block's system address") int address;
        @Label("Pool Type") String poolType;
        @Label("Number Of Bytes") @DataAmount long numberOfBytes;
        @Label("Tag") String tag;
        @Label("Owner") String owner;
    }

    @Name("dev.ringzero.PoolFree")
    @Label("Pool Free")
    @Category("Ringzero")
    @Description("One pool free (off by default; throttled)")
    @Enabled(false)
    @Throttle("100/s")
    @StackTrace(false)
    static final class Free extends Event {
        @Label("Address") @Description("The block's system address") int address;
        @Label("Tag") @Description("The tag the caller passed (0: ExFreePool)") String tag;
        @Label("Owner") String owner;
    }

    /** An allocation that fails; called just before the NULL is returned or the status raised. */
    static void allocationFailed(int poolType, long numberOfBytes, int tag) {
        AllocationFailure e = new AllocationFailure();
        if (e.shouldCommit()) {
            e.poolType = PoolType.describe(poolType);
            e.numberOfBytes = numberOfBytes;
            e.tag = PoolTag.toString(tag);
            e.raised = (poolType & PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE) != 0;
            e.commit();
        }
    }

    /** An allocation that succeeded (address != 0); a no-op while the event is off. */
    static void allocated(OwnerState os, int address, int poolType, long numberOfBytes, int tag) {
        Allocate e = new Allocate();
        if (address != 0 && e.shouldCommit()) {
            e.address = address;
            e.poolType = PoolType.describe(poolType);
            e.numberOfBytes = numberOfBytes;
            e.tag = PoolTag.toString(tag);
            e.owner = os.owner.name();
            e.commit();
        }
    }

    /** A free that returned; a no-op while the event is off. */
    static void freed(OwnerState os, int address, int tag) {
        Free e = new Free();
        if (e.shouldCommit()) {
            e.address = address;
            e.tag = tag == 0 ? "" : PoolTag.toString(tag);
            e.owner = os.owner.name();
            e.commit();
        }
    }
}
