/**
 * The driver contract's memory: the 32-bit system address space ({@link dev.ringzero.api.memory.SystemMemory}),
 * the tagged paged and non-paged pool as one driver sees it ({@link dev.ringzero.api.memory.PoolAllocator}:
 * {@code ExAllocatePool2} with {@link dev.ringzero.api.memory.PoolFlags POOL_FLAGS} since 1.2, and the older
 * pool-type calls), the x86 structure layouts ({@link dev.ringzero.api.memory.NtLayouts}), and the list
 * primitives drivers use directly: {@code LIST_ENTRY} / {@code SINGLE_LIST_ENTRY}
 * ({@link dev.ringzero.api.memory.Lists}) and S-lists ({@link dev.ringzero.api.memory.SLists}, the header word's
 * codec {@link dev.ringzero.api.memory.SListHeader} since 1.3).
 *
 * <h2>Who calls what</h2>
 * A driver calls; the executive implements. A driver gets its {@code PoolAllocator}, {@code SystemMemory},
 * {@code Lists} and {@code SLists} from {@code DriverObject.service}: the allocator is its own view, and every
 * block allocated through it is owned by the driver — another driver freeing it is bug check 0xC2 / 0x0D, and what
 * is still allocated at unload is reported against it. The executive's side of the pool (making views for owners,
 * reclaiming an unloaded driver's memory, the verifier's switches, the debugger's walks) is not here: it is the
 * provider SPI, {@code dev.ringzero.spi.memory}, which a driver may not import.
 *
 * <h2>Address, not segment</h2>
 * A pointer is an {@code int} holding a 32-bit system address, exactly what x86 NT (the tutorial's machine)
 * stores in {@code LIST_ENTRY.Flink} or prints with {@code %08X}; {@code 0} is NULL. Structures live at
 * addresses and point to each other by address; that is what a driver stores, passes and compares.
 * {@link dev.ringzero.api.memory.SystemMemory#resolve(int)} turns an address into a
 * {@link java.lang.foreign.MemorySegment} bounded by the live block it falls in: the way to read and write the
 * block's bytes, at the moment of use. A wild, freed or never-allocated address is a bug check (0x50; 0xD1 for
 * paged pool touched at DISPATCH_LEVEL or above), never a JVM crash. A segment kept past its block's free is
 * <em>not</em> checked in general — a small block's memory is reused, as a stale pointer's is in NT; only special
 * pool closes a block's memory at free, so that such an access faults (0xD5). Keep addresses; resolve when you
 * touch.
 *
 * <h2>IRQL</h2>
 * Paged pool at IRQL &le; {@code APC_LEVEL}, non-paged at &le; {@code DISPATCH_LEVEL}, for allocating and
 * freeing alike (above: 0xC2 sub-codes 0x08 / 0x09, or the verifier's 0xC4). Touching paged memory at
 * {@code DISPATCH_LEVEL} or above is 0xD1. {@code Lists} and {@code SLists} run at any level the memory they touch
 * allows.
 *
 * <h2>Ordering and locking</h2>
 * Accesses through resolved segments are plain, with no ordering: lock-free structures use
 * {@link java.lang.invoke.VarHandle}s over the segments, as {@code SLists} does (one 64-bit compare-and-set per
 * operation, the sequence number against ABA). {@code Lists} is not synchronized: like NT's inline routines it
 * needs the caller's lock, and checks only the links themselves (a corrupt neighbour is 0x139 / 3).
 *
 * <h2>What is checked</h2>
 * NT's pool rules, with NT's stop codes and parameters ({@code PoolAllocator}'s table): IRQL, double free, tag
 * mismatch, a free of an address never allocated, a zero-byte allocation, a bad tag, another owner's block;
 * {@code ExAllocatePool2}'s flags and tag (failing with NULL, as the modern calls do, where the old ones bug-check).
 * Under the verifier the same misuse is 0xC4; special pool (switched on apart) bounds each block by its pages. Not
 * checked: what a driver writes inside its own live blocks, and data races between its own threads.
 *
 * <p>2.0: {@code ExecutivePool} and its snapshots ({@code PoolTagUsage}, {@code PoolBlockInfo}, {@code PoolPage})
 * moved to {@code dev.ringzero.spi.memory} (the API split); nothing a driver calls changed, but the package lost
 * types, hence the major version: a driver built against 1.x is refused and must be rebuilt.
 */
@Export
@Version("2.0.0")
package dev.ringzero.api.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
