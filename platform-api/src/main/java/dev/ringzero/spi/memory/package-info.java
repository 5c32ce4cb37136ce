/**
 * The executive's side of the pool: what the host, the debugger and the lookaside machinery call, and what a pool
 * implementation provides. Not the driver contract — a driver never sees these types.
 *
 * <h2>Who calls what</h2>
 * <ul>
 *   <li>{@link dev.ringzero.spi.memory.ExecutivePool} is implemented by the pool ({@code allocator-pool}) and
 *       called by the host alone: it makes each driver's {@link dev.ringzero.api.memory.PoolAllocator view}
 *       ({@code forDriver}), reclaims and revokes a driver's memory at unload, switches the verifier and special
 *       pool, and answers the debugger ({@code !pool}, {@code !poolfind}, {@code !poolused}).</li>
 *   <li>The lookaside machinery calls {@code setLookasideMark} / {@code hasLookasideMark} to tell the verifier
 *       which blocks hold live list headers.</li>
 *   <li>{@link dev.ringzero.spi.memory.PoolTagUsage}, {@link dev.ringzero.spi.memory.PoolBlockInfo} and
 *       {@link dev.ringzero.spi.memory.PoolPage} are read-only snapshots: what PoolMon, the leak report at unload
 *       and {@code !pool} show.</li>
 * </ul>
 *
 * <h2>Rules</h2>
 * Every method is for {@code PASSIVE_LEVEL} host code; none is on a driver's hot path. Addresses are 32-bit system
 * addresses as in {@code dev.ringzero.api.memory}. A driver bundle importing this package is refused at load
 * (the host's driver contract), and the services implementing it are hidden from drivers.
 *
 * <p>Versioned on its own: a change here never moves the driver contract's version, and the other way round.
 */
@Export
@Version("1.0.0")
package dev.ringzero.spi.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
