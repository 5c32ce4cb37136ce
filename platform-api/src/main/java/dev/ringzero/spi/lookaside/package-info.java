/**
 * The provider SPI of lookaside lists: the system-wide {@link dev.ringzero.spi.lookaside.LookasideRegistry
 * registry} of live lists with its balance-set manager, the {@link dev.ringzero.spi.lookaside.LookasideProvider
 * implementations} that serve them, and {@link dev.ringzero.spi.lookaside.LookasideServices} (with its
 * {@code Factory}) that assembles both over an {@code ExecutivePool} for code without a framework. Not the driver
 * contract: what a driver calls is {@code dev.ringzero.api.lookaside.LookasideLists}, which the host hands it
 * through its {@code DriverObject}; a driver bundle importing this package is refused at load.
 *
 * <h2>Who calls what</h2>
 * <ul>
 *   <li>An allocator author implements a {@link dev.ringzero.spi.lookaside.LookasidePolicy} and its per-list
 *       {@link dev.ringzero.spi.lookaside.LookasideCache} — the caching policy alone: hit path, spill and refill,
 *       flush, its reaction to a {@code Depth} change, its counters folded into NT's header — using the helpers
 *       {@link dev.ringzero.spi.lookaside.LookasideHeader} and {@link dev.ringzero.spi.lookaside.SListChains}. The
 *       executive does the rest the same for every implementation: registration, ownership, header marks, tuning,
 *       {@code !lookaside}, the verifier's checks and bug checks, delete semantics, and the driver's facade. A list
 *       stays with the implementation that made it until it is deleted.</li>
 *   <li>The executive makes one {@code LookasideProvider} per registered policy ({@code forDriver(owner, pool)}: one
 *       driver's {@code LookasideLists} over that driver's own pool view, so the default routines are charged to
 *       the driver).</li>
 *   <li>The host and the debugger call the registry: {@code !lookaside} and its counter reset, the registered
 *       implementations ({@code register}, {@code unregister}, {@code retire}), {@code purge} of a quarantined or
 *       unloaded driver's undeleted lists (their memory untouched, their free routines not called), and the
 *       balance-set manager's tick ({@code adjustLookasideDepth}).</li>
 *   <li>The in-process host, the driver test kit, the benchmarks and {@code dev.ringzero.library} get the machinery
 *       from {@code LookasideServices.Factory} through {@link java.util.ServiceLoader}; the OSGi host gets the same
 *       objects assembled once by the launcher. Nothing here is called by a driver.</li>
 * </ul>
 *
 * <h2>Rules</h2>
 * The registry's and the services' methods are for host code at {@code PASSIVE_LEVEL}; the balance-set manager
 * runs on its own thread, once a second, beside the drivers using the lists. Lists are named by their headers' system addresses; the registry hands out
 * {@code LookasideInfo} snapshots, never segments. Nothing here checks who calls it: the package's visibility
 * does (the host's modules and {@code system/}, never a driver).
 *
 * <h2>Versions</h2>
 * Versioned on its own (1.x): a change here never moves the driver contract's version, and the other way round.
 */
@Export
@Version("1.1.0")
package dev.ringzero.spi.lookaside;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
