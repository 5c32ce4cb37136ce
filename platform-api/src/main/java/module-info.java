/**
 * Ringzero's platform API, in three parts, each versioned on its own:
 * <ul>
 *   <li><b>The driver contract</b> — what a driver is written against and may import: NTSTATUS, IRQL, bug checks,
 *       {@code DbgPrint}, drivers and driver objects ({@code dev.ringzero.api}); the system address space, a
 *       driver's pool view, {@code LIST_ENTRY} and S-lists ({@code dev.ringzero.api.memory}); lookaside lists
 *       ({@code dev.ringzero.api.lookaside}).</li>
 *   <li><b>The provider SPI</b> — what the executive and allocators implement and the host calls
 *       ({@code dev.ringzero.spi.memory}, {@code dev.ringzero.spi.lookaside}). A driver importing it is refused.</li>
 *   <li><b>The library</b> — the lookaside lists for plain Java code ({@code dev.ringzero.library}).</li>
 * </ul>
 *
 * <p>Only this module exports packages. Drivers and allocators meet through it and nothing else.
 */
module dev.ringzero.api {
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports dev.ringzero.api;
    exports dev.ringzero.api.memory;
    exports dev.ringzero.api.lookaside;
    exports dev.ringzero.spi.memory;
    exports dev.ringzero.spi.lookaside;
    exports dev.ringzero.library;

    uses dev.ringzero.spi.memory.ExecutivePool;
    uses dev.ringzero.spi.lookaside.LookasideProvider;
    uses dev.ringzero.spi.lookaside.LookasidePolicy;
    uses dev.ringzero.spi.lookaside.LookasideServices.Factory;
}
