/**
 * The executive's side of lookaside lists: the system-wide {@link dev.ringzero.spi.lookaside.LookasideRegistry
 * registry} of live lists with its balance-set manager, the {@link dev.ringzero.spi.lookaside.LookasideProvider
 * implementations} that serve them, and {@link dev.ringzero.spi.lookaside.LookasideServices} for code without a
 * framework. Not the driver contract: what a driver calls is {@code dev.ringzero.api.lookaside.LookasideLists},
 * which the host hands it through its {@code DriverObject}.
 *
 * <h2>Who calls what</h2>
 * The host and the debugger call the registry ({@code !lookaside}, purge at unload, the tuner's tick, the
 * registered implementations); an allocator author implements a {@link dev.ringzero.spi.lookaside.LookasidePolicy}
 * and its {@link dev.ringzero.spi.lookaside.LookasideCache} — the caching policy alone — and uses the helpers
 * {@link dev.ringzero.spi.lookaside.LookasideHeader} and {@link dev.ringzero.spi.lookaside.SListChains}; the
 * executive does the rest; nothing here is called by a driver. A driver bundle importing this package is
 * refused at load, and the services implementing it are hidden from drivers.
 *
 * <p>Versioned on its own: a change here never moves the driver contract's version, and the other way round.
 */
@Export
@Version("1.1.0")
package dev.ringzero.spi.lookaside;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
