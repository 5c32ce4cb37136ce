package dev.ringzero.tck;

import dev.ringzero.api.Owner;
import dev.ringzero.spi.memory.ExecutivePool;
import dev.ringzero.spi.memory.PoolBlockInfo;

/**
 * The executive pool the lookaside contract runs on, with the few controls a test needs beyond the API: the
 * stand-in ({@link TestExecutivePool}) or the real pool ({@link RealExecutivePool}).
 */
public interface PoolUnderTest extends ExecutivePool, AutoCloseable {

    /** The next {@code n} allocations through {@link #forDriver} views fail (NULL, or raise when asked to). */
    void failNextAllocations(int n);

    /** Frees {@code owner}'s views passed to the pool, failed ones not counted. */
    int frees(Owner owner);

    /** The live block that starts at {@code address}, or null. */
    PoolBlockInfo block(int address);

    @Override
    void close();
}
