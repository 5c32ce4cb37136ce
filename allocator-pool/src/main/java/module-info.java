/**
 * The executive pool: the 32-bit system address space, the non-paged and paged pools
 * ({@code ExAllocatePoolWithTag} and friends), per-tag accounting, NT's bug checks on misuse, and the
 * verifier's special pool.
 *
 * <p>Exports nothing: drivers reach the pool through {@link dev.ringzero.api.memory.ExecutivePool},
 * found as an OSGi service or with {@link java.util.ServiceLoader}.
 */
module dev.ringzero.pool {
    requires dev.ringzero.api;
    requires jdk.jfr; // PoolEvents
    requires static org.osgi.service.component.annotations;
    requires static org.apache.felix.framework;

    // only to tell the lookaside implementations' frames from a driver's (ExecutiveFrames): their types, never instances
    uses dev.ringzero.api.lookaside.LookasideProvider;
    uses dev.ringzero.api.lookaside.LookasideServices.Factory;

    provides dev.ringzero.api.memory.ExecutivePool with dev.ringzero.pool.ExecutivePoolComponent;
}
