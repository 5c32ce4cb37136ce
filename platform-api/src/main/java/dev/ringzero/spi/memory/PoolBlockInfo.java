package dev.ringzero.spi.memory;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;

/**
 * One live pool block, as the verifier lists a leak.
 *
 * @param address        its system address
 * @param size           the bytes asked for
 * @param tag            its tag
 * @param poolType       the pool type it was allocated with
 * @param owner          who allocated it
 * @param allocationSite where it was allocated (the caller's frame), or {@code null} when not recorded
 */
public record PoolBlockInfo(int address, long size, int tag, int poolType, Owner owner,
                            StackTraceElement allocationSite) {

    @Override
    public String toString() {
        return String.format("%08X %6d bytes %s %s%s", address, size, PoolTag.toString(tag), PoolType.baseName(poolType),
                allocationSite == null ? "" : " allocated at " + allocationSite);
    }
}
