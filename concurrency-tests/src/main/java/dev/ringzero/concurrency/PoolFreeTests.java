package dev.ringzero.concurrency;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolType;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two threads freeing one block at once (allocator-pool's PoolConcurrencyTest races the same, but a race it
 * loses on one machine in two does not fail it). Both may pass the header check before either marks the block
 * free; the pool's atomic release must then let exactly one through and make the other NT's double free.
 */
public final class PoolFreeTests {

    /** Special-pool blocks: each has its own arena and guard page, released (like a huge block) by one atomic step. */
    static final Owner SPECIAL = new Owner("JcstressSpecial", 2);
    static final PoolAllocator SPECIAL_POOL = Fixture.POOL.forDriver(SPECIAL);

    static {
        Fixture.POOL.setSpecialPool(SPECIAL, true);
    }

    private PoolFreeTests() {
    }

    /** 0: the free returned; 7: BAD_POOL_CALLER 0x07 (double free); -1: anything else. */
    static int free(int block) {
        try {
            SPECIAL_POOL.ExFreePoolWithTag(block, Fixture.TAG);
            return 0;
        } catch (BugCheck b) {
            return b.code().code() == 0xC2 && b.parameter1() == 0x07 ? 7 : -1;
        }
    }

    @JCStressTest
    @Outcome(id = "0, 7", expect = ACCEPTABLE, desc = "actor 1's free went through, actor 2's was the double free")
    @Outcome(id = "7, 0", expect = ACCEPTABLE, desc = "actor 2's free went through, actor 1's was the double free")
    @Outcome(expect = FORBIDDEN, desc = "both frees went through (the block released twice), or neither, or another bug check")
    @State
    public static class SpecialFreeRacingSpecialFree {
        final int block = SPECIAL_POOL.ExAllocatePoolWithTag(PoolType.NonPagedPool, 200, Fixture.TAG);

        @Actor
        public void one(II_Result r) {
            r.r1 = free(block);
        }

        @Actor
        public void two(II_Result r) {
            r.r2 = free(block);
        }
    }
}
