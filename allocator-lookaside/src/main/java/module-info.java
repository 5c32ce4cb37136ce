/**
 * Ringzero's lookaside executive: the system-wide registry of live lists, the driver's routines over them
 * (argument rules, IRQL checks, ownership, header marks, the verifier's and NT's bug checks, delete), the
 * balance-set manager that tunes their depths once a second, {@code !lookaside}, and the built-in {@code nt}
 * implementation. Other implementations supply only their caching policy through the SPI
 * ({@link dev.ringzero.spi.lookaside.LookasidePolicy}); {@code magazine} is one, in its own module.
 *
 * <p>Exports and opens nothing: part of the executive, on the launcher's module path, assembled by the host
 * through {@link dev.ringzero.spi.lookaside.LookasideServices.Factory} (drivers reach it only through the
 * views their {@code DriverObject} hands them), which registers every
 * {@link dev.ringzero.spi.lookaside.LookasidePolicy} {@link java.util.ServiceLoader} finds. As a bundle (not how
 * the distribution runs it), {@link dev.ringzero.lookaside.LookasideSystem} (the registry) is a Declarative
 * Services component. The same services are listed in {@code META-INF/services} for the class path.
 */
module dev.ringzero.lookaside {
    requires dev.ringzero.api;
    requires com.google.common;
    requires jdk.jfr; // LookasideEvents
    requires static org.osgi.service.component.annotations;

    uses dev.ringzero.spi.lookaside.LookasidePolicy;

    provides dev.ringzero.spi.lookaside.LookasideServices.Factory with dev.ringzero.lookaside.LookasideServicesFactory;
}
