/**
 * The contract Ringzero drivers are written against: NTSTATUS, IRQL, bug checks, {@code DbgPrint},
 * drivers and driver objects ({@code dev.ringzero.api}); the system address space, the executive
 * pool, {@code LIST_ENTRY} and S-lists ({@code dev.ringzero.api.memory}); lookaside lists
 * ({@code dev.ringzero.api.lookaside}).
 *
 * <p>Only this module exports packages. Drivers and allocators meet through it and nothing else.
 */
module dev.ringzero.api {
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports dev.ringzero.api;
    exports dev.ringzero.api.memory;
    exports dev.ringzero.api.lookaside;

    uses dev.ringzero.api.memory.ExecutivePool;
    uses dev.ringzero.api.lookaside.LookasideProvider;
    uses dev.ringzero.api.lookaside.LookasideServices.Factory;
}
