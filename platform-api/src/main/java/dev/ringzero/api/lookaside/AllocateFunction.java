package dev.ringzero.api.lookaside;

import org.osgi.annotation.versioning.ConsumerType;

/** {@code PALLOCATE_FUNCTION}: a driver's own allocator for a lookaside list's misses. */
@ConsumerType
@FunctionalInterface
public interface AllocateFunction {

    /** @return a block of at least {@code numberOfBytes}, or {@code 0} (NULL) */
    int Allocate(int poolType, long numberOfBytes, int tag);
}
