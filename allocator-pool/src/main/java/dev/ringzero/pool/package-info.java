/**
 * The executive pool's implementation: {@link dev.ringzero.pool.ExecutivePoolComponent} is the only
 * public class (an OSGi DS component and a {@link java.util.ServiceLoader} provider of
 * {@link dev.ringzero.api.memory.ExecutivePool}); everything else is the engine behind it.
 *
 * <ul>
 *   <li>{@link dev.ringzero.pool.AddressSpace}: the 32-bit system address space and its chunk table.</li>
 *   <li>{@link dev.ringzero.pool.PoolEngine}: allocate and free, the checks and bug checks, accounting
 *       (its class comment describes the algorithm).</li>
 *   <li>{@link dev.ringzero.pool.PoolSpace}: one pool's chunks, pages, limit, depots, huge and special
 *       blocks; {@link dev.ringzero.pool.PoolChunk}, {@link dev.ringzero.pool.HugeChunk},
 *       {@link dev.ringzero.pool.SpecialChunk}: what a chunk-table slot holds.</li>
 *   <li>{@link dev.ringzero.pool.PoolHeader}, {@link dev.ringzero.pool.SizeClasses}: the block header's
 *       descriptor and the size classes.</li>
 *   <li>{@link dev.ringzero.pool.ThreadCache}, {@link dev.ringzero.pool.Depot},
 *       {@link dev.ringzero.pool.TagCounters}: the per-thread fast path and its per-tag counters.</li>
 * </ul>
 */
package dev.ringzero.pool;
