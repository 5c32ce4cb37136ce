/**
 * Lookaside lists: {@code ExInitialize(N)PagedLookasideList}, {@code ExInitializeLookasideListEx},
 * allocate / free / delete, the per-thread {@link dev.ringzero.api.lookaside.LookasideTap tap}, and a list's
 * counters ({@link dev.ringzero.api.lookaside.LookasideInfo}).
 *
 * <p>2.0: the registry, the implementations' SPI and the services factory moved to
 * {@code dev.ringzero.spi.lookaside}, the library to {@code dev.ringzero.library} (the API split); nothing a
 * driver calls changed, but the package lost types, hence the major version.
 */
@Export
@Version("2.0.0")
package dev.ringzero.api.lookaside;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
