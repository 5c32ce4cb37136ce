/**
 * Lookaside lists for Ringzero: the NT-faithful implementation ({@code nt}), the system-wide registry
 * of live lists, the balance-set manager that tunes their depths once a second, and {@code !lookaside}.
 *
 * <p>Exports nothing. In OSGi, {@link dev.ringzero.lookaside.LookasideSystem} (the registry) and
 * {@link dev.ringzero.lookaside.NtLookasideProvider} are Declarative Services components; without a
 * framework, {@link java.util.ServiceLoader} finds the API's
 * {@link dev.ringzero.api.lookaside.LookasideServices.Factory} ({@code create(pool, nanoTime, startTuner)}),
 * and {@code nt} as a {@link dev.ringzero.api.lookaside.LookasideProvider}. The same two services are
 * listed in {@code META-INF/services} for the class path.
 */
module dev.ringzero.lookaside {
    requires dev.ringzero.api;
    requires com.google.common;
    requires static org.osgi.service.component.annotations;

    provides dev.ringzero.api.lookaside.LookasideProvider with dev.ringzero.lookaside.NtLookasideProvider;
    provides dev.ringzero.api.lookaside.LookasideServices.Factory with dev.ringzero.lookaside.LookasideServicesFactory;
}
