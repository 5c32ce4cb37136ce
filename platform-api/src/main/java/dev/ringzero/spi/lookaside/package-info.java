/**
 * The executive's side of lookaside lists: the system-wide {@link dev.ringzero.spi.lookaside.LookasideRegistry
 * registry} of live lists with its balance-set manager, the {@link dev.ringzero.spi.lookaside.LookasideProvider
 * implementations} that serve them, and {@link dev.ringzero.spi.lookaside.LookasideServices} for code without a
 * framework. Not the driver contract: what a driver calls is {@code dev.ringzero.api.lookaside.LookasideLists},
 * which the host hands it through its {@code DriverObject}.
 *
 * <h2>Who calls what</h2>
 * The host and the debugger call the registry ({@code !lookaside}, purge at unload, the tuner's tick); an
 * allocator implements a provider; nothing here is called by a driver. A driver bundle importing this package is
 * refused at load, and the services implementing it are hidden from drivers.
 *
 * <p>Versioned on its own: a change here never moves the driver contract's version, and the other way round.
 */
@Export
@Version("1.0.0")
package dev.ringzero.spi.lookaside;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
