/**
 * The executive pool: {@code ExAllocatePoolWithTag} / {@code ExFreePoolWithTag} over a 32-bit system
 * address space. {@link dev.ringzero.pool.ExecutivePoolComponent} is the only public class (an OSGi DS
 * component and a {@link java.util.ServiceLoader} provider of {@link dev.ringzero.spi.memory.ExecutivePool});
 * everything else is the engine behind it. This page is the engine's design: read it before changing any
 * class here.
 *
 * <h2>What it mirrors</h2>
 * NT's pool hands out blocks from two pools (non-paged, paged), each block preceded by a
 * {@code POOL_HEADER} that records its size, pool type (stored as type + 1, 0 meaning free) and tag.
 * Requests up to {@code POOL_MAX_ALLOC} (4080 bytes on x86) are small blocks carved from pool pages; larger
 * ones take whole pages, their headers in a side "big page table". Small blocks are served first from
 * per-processor lookaside lists, so the common allocation and free take no pool lock. A tracker table counts
 * allocations, frees and bytes per tag and pool. Misuse is {@code BAD_POOL_CALLER} (0xC2), or
 * {@code DRIVER_VERIFIER_DETECTED_VIOLATION} (0xC4) for a verified driver; the verifier's special pool gives
 * each block its own pages so that an overrun or a use after free faults at the access.
 *
 * <h2>The rooms</h2>
 * <ul>
 *   <li>{@link dev.ringzero.pool.PoolEngine}: allocate and free, fast and checked, and the services built on
 *       finding blocks (leak reports, reclaim, lookaside marks).</li>
 *   <li>{@link dev.ringzero.pool.AddressSpace}: the chunk table (address → chunk) and the way back from a
 *       native segment to a system address; {@link dev.ringzero.pool.PoolSpace}: one pool's chunks, pages,
 *       limit, depots, huge and special blocks; {@link dev.ringzero.pool.PageFile}: paged pool's backing.</li>
 *   <li>{@link dev.ringzero.pool.Chunk} and its sealed kinds {@link dev.ringzero.pool.PoolChunk},
 *       {@link dev.ringzero.pool.HugeChunk}, {@link dev.ringzero.pool.SpecialChunk}: what a table slot holds,
 *       and each kind's own block headers; {@link dev.ringzero.pool.BlockRef}: a block found by address.</li>
 *   <li>{@link dev.ringzero.pool.PoolHeader} (the header words), {@link dev.ringzero.pool.SizeClasses}.</li>
 *   <li>{@link dev.ringzero.pool.ThreadCache} (one thread's magazines and counters),
 *       {@link dev.ringzero.pool.ThreadCaches} (every thread's, and the reaping of ended threads'),
 *       {@link dev.ringzero.pool.Depot}, {@link dev.ringzero.pool.TagCounters}.</li>
 *   <li>{@link dev.ringzero.pool.OwnerTable} and {@link dev.ringzero.pool.OwnerState}: drivers, their index
 *       and mode; {@link dev.ringzero.pool.LookasideMarks}, {@link dev.ringzero.pool.AllocationSites} (with
 *       {@link dev.ringzero.pool.ExecutiveFrames}): what a header's flags point to.</li>
 *   <li>{@link dev.ringzero.pool.PoolBugChecks}, {@link dev.ringzero.pool.FaultTranslation},
 *       {@link dev.ringzero.pool.PoolReports}: stop codes and the debugger's texts.</li>
 * </ul>
 *
 * <h2>The algorithm</h2>
 * <b>Addresses.</b> Each pool spans a gigabyte of system addresses, reserved a chunk (4 MiB by default) at a
 * time as blocks need it: anonymous memory for non-paged pool, a window of the pool's own sparse page file
 * for paged pool. Chunk memory is page aligned natively, so an address 8-aligned in system terms is
 * 8-aligned natively and the S-lists' 64-bit CAS works on it. {@code table[address >>> chunkBits]} finds an
 * address's chunk; the chunk's page descriptors find its block.
 *
 * <p><b>Size classes.</b> 1..4080 bytes fall into 32 small classes (16-byte steps to 256, then four per
 * doubling), served from 64 KiB slabs laid out {@code [POOL_HEADER][block]...}, blocks 16-aligned, each header
 * right before its block. 4081 bytes to 64 KiB are page classes (1..16 whole pages, header in the chunk's
 * big-page table); larger requests are uncached page runs, and from a quarter of a chunk up, huge blocks with
 * a mapping of their own. Special pool gives a block its own arena, its end at a page's end before a guard page.
 *
 * <p><b>The fast path</b> plays the part of NT's per-processor lookaside lists. Each thread has a magazine of
 * free blocks per pool and class; an allocation pops one, writes the two header words and counts the tag; a
 * free checks the header, clears its type and pushes the block back. Neither takes a lock or executes a locked
 * instruction. The thread's cache is found by comparing one thread reference (the owner's usual thread) and
 * otherwise by a thread-local lookup; the IRQL is read through the cache. The fast path is shaped for C2, which
 * decides most of its cost by whether the caller can inline it: {@code allocate} (small blocks) and
 * {@code free} (small and page-class blocks) turn every condition of their usual case into bits or-ed into one
 * word, tested by one branch (every branch profiling never saw taken is a deoptimization point whose spill
 * code makes the method too big to inline), and leave everything else to {@code allocateChecked} /
 * {@code freeChecked}, out of line, which run NT's checks in NT's order.
 *
 * <p><b>Magazines and depots.</b> A magazine that runs dry takes half a magazine from its class's
 * {@link dev.ringzero.pool.Depot} (a lock per class), which carves a new slab when empty ({@link
 * dev.ringzero.pool.PoolSpace}, a lock per pool); one that overflows gives half back. Blocks in magazines and
 * depots are free: the counters never count them, though their pages stay with their class until the pool runs
 * out of pages, when slabs whose blocks are all free go back ({@code PoolSpace.reclaimFreePages}).
 *
 * <p><b>Checks at free</b>, in NT's order: the address must be a block's start (a small block: one bit of its
 * chunk's block-start bitmap; else 0xC2/0x46, or 0xC4/0x10 verified); the IRQL must allow the pool (0x09 /
 * 0x11, 0x12); the header must be live (all zero was never allocated: 0x46; freed: double free 0x07 / 0x14); a
 * non-zero tag must match (0x0A); the block must be the caller's (0x0D); a block marked as holding a live
 * lookaside list is 0xC4/0xCC under the verifier. A check that fails leaves the block exactly as it was.
 *
 * <p><b>Accounting</b> is per thread ({@link dev.ringzero.pool.TagCounters}): no shared counter is written on
 * the fast path; a report sums the threads' tables and the retired totals of ended threads.
 *
 * <h2>Memory ordering, field by field</h2>
 * <ul>
 *   <li><b>Block header words</b> (in front of a small block, in {@code PoolChunk}'s big-page table, in a
 *       {@code HugeChunk}, in a {@code SpecialBlock}): plain reads and writes, by their chunk's accessors alone.
 *       A block's address travels from the allocating thread to the freeing one through the driver's own
 *       synchronization, which orders the header writes before the reads. Word 1 is written before word 0, so a
 *       racy reader (a leak scan, {@code resolve} from another thread) never sees a live word 0 with a stale
 *       owner and tag. Two threads freeing one block at the same instant are not told apart reliably (NT
 *       corrupts its pool then too); one after the other, the second is a double free.</li>
 *   <li><b>The chunk table</b> ({@code AddressSpace.table}, {@code poolChunks}): plain stores of objects whose
 *       fields readers use are final; an address reaches another thread only after the allocation that
 *       installed its chunk. {@code AddressSpace.ranges} (native → system) is a volatile copy-on-write array.</li>
 *   <li><b>Page descriptors and block-start bits</b> ({@code PoolChunk.desc}, {@code blockStarts}): written only
 *       under the space's lock while no block on those pages is live; read without it by the free path, which is
 *       safe because the pages of a live block never change kind (and two slabs never share a word of bits).</li>
 *   <li><b>A thread's magazines and counts</b> ({@code ThreadCache}): its thread's alone, no fences. Another thread
 *       touches them only after {@code Thread.isAlive()} returned false for that thread (which orders everything
 *       it did), under {@code ThreadCaches}' lock: the reaping.</li>
 *   <li><b>Tag counters</b>: written by their thread with opaque stores, read by reports with opaque loads; a new
 *       counter published by a volatile write of the thread's table (see {@link dev.ringzero.pool.TagCounters}).</li>
 *   <li><b>{@code OwnerState.mode}</b>: volatile, recomputed under {@code OwnerTable}'s lock by every setting,
 *       revocation and the close; the fast paths' one volatile read covers verifier, special pool, closed and
 *       revoked. {@code OwnerState.checkedTag} and {@code stickyCache} are racy by design: any value a thread
 *       reads was checked by some thread, and a cache is used only when its final {@code thread} is the caller.</li>
 *   <li><b>The owner table</b>: a concurrent map by owner and a volatile copy-on-write array by index, written
 *       under its lock; the special-pool tag patterns an immutable value replaced whole.</li>
 *   <li><b>Depots</b>: each behind its own monitor; a space's lock is taken before a depot's, never after.</li>
 *   <li><b>Lookaside marks and allocation sites</b>: concurrent maps by block address; a mark and its header
 *       flag change together under the marks' monitor.</li>
 * </ul>
 *
 * <h2>Invariants a change must keep</h2>
 * <ol>
 *   <li>Header words are read and written only through a chunk's accessors ({@link dev.ringzero.pool.Chunk});
 *       the fast paths use {@code PoolChunk}'s small-block and page-table ones, the slow paths the generic ones.</li>
 *   <li>A header of all zeroes was never handed out; stored type 0 with a non-zero size is a freed block; a
 *       page-aligned block's table words outlive its release, so a second free is a double free, not a wild one.</li>
 *   <li>The fast paths' test covers every condition the checked paths check: any case they do not take must
 *       reach {@code allocateChecked} / {@code freeChecked}, which decide in NT's order
 *       ({@code PoolFastPathTest} drives each check through a warmed fast path). Adding a branch to
 *       {@code allocate} or {@code free} costs inlining: or its condition into the misfit word instead.</li>
 *   <li>A block is in exactly one place while free: a magazine, a depot or the pages; counters count live
 *       blocks only.</li>
 *   <li>A header flag ({@code LOOKASIDE}, {@code SITE}) is set exactly while its table holds the block; a free
 *       or a reclaim that clears the header clears both.</li>
 *   <li>Pool chunks' memory lives as long as the chunk object (an automatic arena): the constant
 *       {@code PoolChunk.ALL} is used only at offsets inside a chunk the caller holds, with a reachability fence.</li>
 *   <li>Frames of the pool, the API and the lookaside implementations are never an allocation site
 *       ({@link dev.ringzero.pool.ExecutiveFrames}, by code source: no package is named in a string).</li>
 * </ol>
 */
package dev.ringzero.pool;
