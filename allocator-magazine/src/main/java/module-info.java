/**
 * The {@code magazine} lookaside implementation: per-thread magazines in front of NT's S-list
 * ({@link dev.ringzero.magazine.MagazinePolicy}). Written against the API and the SPI alone, as any third party's
 * implementation: the executive ({@code dev.ringzero.lookaside}) finds it with {@link java.util.ServiceLoader}; in a
 * framework it is a Declarative Services component of service type
 * {@link dev.ringzero.spi.lookaside.LookasidePolicy}. Exports nothing.
 */
module dev.ringzero.magazine {
    requires dev.ringzero.api;
    requires static org.osgi.service.component.annotations;

    provides dev.ringzero.spi.lookaside.LookasidePolicy with dev.ringzero.magazine.MagazinePolicy;
}
