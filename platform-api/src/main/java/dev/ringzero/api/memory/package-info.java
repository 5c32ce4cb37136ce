/**
 * The executive's memory model: the 32-bit system address space ({@link dev.ringzero.api.memory.SystemMemory}),
 * the tagged paged and non-paged pool ({@link dev.ringzero.api.memory.PoolAllocator}: {@code ExAllocatePool2} with
 * {@link dev.ringzero.api.memory.PoolFlags POOL_FLAGS} since 1.2, and the older pool-type calls), the x86 structure
 * layouts ({@link dev.ringzero.api.memory.NtLayouts}), and the list primitives drivers use directly:
 * {@code LIST_ENTRY} / {@code SINGLE_LIST_ENTRY} ({@link dev.ringzero.api.memory.Lists}) and
 * S-lists ({@link dev.ringzero.api.memory.SLists}, the header word's codec {@link dev.ringzero.api.memory.SListHeader}
 * since 1.3).
 *
 * <h2>Pointers</h2>
 * A pointer is an {@code int} holding a 32-bit system address, exactly what x86 NT (the tutorial's
 * machine) stores in {@code LIST_ENTRY.Flink} or prints with {@code %08X}. {@code 0} is NULL.
 * {@link dev.ringzero.api.memory.SystemMemory#resolve(int)} turns an address into a bounds-checked
 * {@link java.lang.foreign.MemorySegment}; a wild or stale address is a bug check, never a JVM crash.
 *
 * <p>2.0: {@code ExecutivePool} and its snapshots ({@code PoolTagUsage}, {@code PoolBlockInfo}, {@code PoolPage})
 * moved to {@code dev.ringzero.spi.memory} (the API split); nothing a driver calls changed, but the package lost
 * types, hence the major version.
 */
@Export
@Version("2.0.0")
package dev.ringzero.api.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
