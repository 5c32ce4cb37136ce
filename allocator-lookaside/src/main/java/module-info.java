/**
 * Lookaside lists for Ringzero: the NT-faithful implementation ({@code nt}), the per-thread-magazine one
 * ({@code magazine}), the system-wide registry of live lists, the balance-set manager that tunes their
 * depths once a second, and {@code !lookaside}.
 *
 * <p>Exports and opens nothing: part of the executive, on the launcher's module path, assembled by the host
 * through {@link dev.ringzero.spi.lookaside.LookasideServices.Factory} (drivers reach it only through the
 * views their {@code DriverObject} hands them). As a bundle (not how the distribution runs it),
 * {@link dev.ringzero.lookaside.LookasideSystem} (the registry),
 * {@link dev.ringzero.lookaside.NtLookasideProvider} and {@link dev.ringzero.lookaside.MagazineLookasideProvider}
 * are Declarative Services components; without a framework, {@link java.util.ServiceLoader} finds the API's
 * {@link dev.ringzero.spi.lookaside.LookasideServices.Factory} ({@code create(pool, nanoTime, startTuner)}),
 * and {@code nt} and {@code magazine} as {@link dev.ringzero.spi.lookaside.LookasideProvider}s. The same
 * services are listed in {@code META-INF/services} for the class path.
 */
module dev.ringzero.lookaside {
    requires dev.ringzero.api;
    requires com.google.common;
    requires jdk.jfr; // LookasideEvents
    requires static org.osgi.service.component.annotations;

    provides dev.ringzero.spi.lookaside.LookasideProvider with dev.ringzero.lookaside.NtLookasideProvider,
            dev.ringzero.lookaside.MagazineLookasideProvider;
    provides dev.ringzero.spi.lookaside.LookasideServices.Factory with dev.ringzero.lookaside.LookasideServicesFactory;
}
