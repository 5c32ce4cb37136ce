package dev.ringzero.api.lookaside;

import org.osgi.annotation.versioning.ConsumerType;

/** {@code PFREE_FUNCTION_EX}: like {@link FreeFunction}, also given the list's address. */
@ConsumerType
@FunctionalInterface
public interface FreeFunctionEx {

    void FreeEx(int buffer, int lookaside);
}
