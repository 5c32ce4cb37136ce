/**
 * The {@code ${policyName}} lookaside implementation. An allocator depends on the Ringzero platform API and its
 * provider SPI only ({@code dev.ringzero.api}, {@code dev.ringzero.spi.lookaside}), and exports nothing: the
 * executive finds the policy as a service — by {@link java.util.ServiceLoader} on a module path ({@code provides}
 * below), as a Declarative Services component of service type {@link dev.ringzero.spi.lookaside.LookasidePolicy}
 * in the host (bnd writes the component from {@code @Component}, read at compile time only).
 */
module ${package} {
    requires dev.ringzero.api;
    requires static org.osgi.service.component.annotations;

    provides dev.ringzero.spi.lookaside.LookasidePolicy with ${package}.${className};
}
