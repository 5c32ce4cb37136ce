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
 *   <li>An allocator ({@code allocator-lookaside}'s {@code nt} and {@code magazine}, or a trusted bundle of
 *       {@code system/}) implements {@code LookasideProvider}: {@code forDriver(owner, pool)} makes one driver's
 *       {@code LookasideLists} over that driver's own pool view, so the lists' default allocate and free routines
 *       are charged to the driver. A list stays with the implementation that made it until it is deleted.</li>
 *   <li>The host and the debugger call the registry: {@code !lookaside} and its counter reset, {@code purge} of a
 *       quarantined or unloaded driver's undeleted lists (their memory untouched, their free routines not called),
 *       and the balance-set manager's tick ({@code adjustLookasideDepth}), which tunes each list's {@code Depth}
 *       from its misses as NT's does.</li>
 *   <li>The in-process host, the driver test kit, the benchmarks and {@code dev.ringzero.library} get the machinery
 *       from {@code LookasideServices.Factory} through {@link java.util.ServiceLoader}; the OSGi host gets the same
 *       objects assembled once by the launcher.</li>
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
@Version("1.0.0")
package dev.ringzero.spi.lookaside;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
