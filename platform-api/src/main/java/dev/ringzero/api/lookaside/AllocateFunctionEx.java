package dev.ringzero.api.lookaside;

import org.osgi.annotation.versioning.ConsumerType;

/** {@code PALLOCATE_FUNCTION_EX}: like {@link AllocateFunction}, also given the list's address. */
@ConsumerType
@FunctionalInterface
public interface AllocateFunctionEx {

    int AllocateEx(int poolType, long numberOfBytes, int tag, int lookaside);
}
