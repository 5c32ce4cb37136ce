package dev.ringzero.api.lookaside;

import org.osgi.annotation.versioning.ConsumerType;

/** {@code PFREE_FUNCTION}: a driver's own release routine for entries the lookaside list does not keep. */
@ConsumerType
@FunctionalInterface
public interface FreeFunction {

    void Free(int buffer);
}
