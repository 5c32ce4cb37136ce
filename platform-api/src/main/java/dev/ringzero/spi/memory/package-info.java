/**
 * The provider SPI of the pool: the executive's side of memory — what the host, the debugger and the lookaside
 * machinery call, and what a pool implementation provides. Not the driver contract: a driver never sees these
 * types, and a driver bundle importing this package is refused at load.
 *
 * <h2>Who calls what</h2>
 * <ul>
 *   <li>{@link dev.ringzero.spi.memory.ExecutivePool} is implemented by the pool ({@code allocator-pool}: one
 *       instance per host, found with {@link java.util.ServiceLoader}, or made by its
 *       {@link dev.ringzero.spi.memory.ExecutivePool.Factory Factory} where the launcher chooses the pool's data
 *       folder) and called by the host alone: it makes each driver's
 *       {@link dev.ringzero.api.memory.PoolAllocator view} ({@code forDriver}), revokes that view at unload (every
 *       later call through it is 0xCE) and reclaims the blocks left, switches the verifier and special pool, and
 *       answers the debugger ({@code !pool}, {@code !poolfind}, {@code !poolused}, PoolMon).</li>
 *   <li>The lookaside machinery calls {@code setLookasideMark} / {@code hasLookasideMark} to tell the verifier
 *       which blocks hold live list headers.</li>
 *   <li>{@link dev.ringzero.spi.memory.PoolTagUsage}, {@link dev.ringzero.spi.memory.PoolBlockInfo} and
 *       {@link dev.ringzero.spi.memory.PoolPage} are immutable snapshots — what PoolMon, the leak report at unload
 *       and {@code !pool} show — taken while drivers run: each is true of one moment, and no lock is held after it
 *       is returned.</li>
 * </ul>
 *
 * <h2>Rules</h2>
 * Every method is for host code at {@code PASSIVE_LEVEL}; none is on a driver's hot path, and none checks its
 * caller's IRQL or identity: who may call is decided by who can see the package (the host's modules and the
 * trusted bundles of {@code system/}, never a driver). Addresses are 32-bit system addresses, as in
 * {@code dev.ringzero.api.memory}; a snapshot carries addresses, never segments, so that holding one keeps no
 * memory reachable. {@code reclaim} frees without bug checks: it is the host cleaning up after a driver, not a
 * driver's free.
 *
 * <h2>Versions</h2>
 * Versioned on its own (1.x): a change here never moves the driver contract's version, and the other way round.
 * The interfaces are {@code ProviderType}s: a method added is a minor version for the host that calls it and a new
 * implementation for the pool that provides it (bnd gives a provider the narrow range {@code [1.0,1.1)}).
 */
@Export
@Version("1.0.0")
package dev.ringzero.spi.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
