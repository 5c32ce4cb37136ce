/**
 * The lookaside executive: {@link dev.ringzero.lookaside.LookasideSystem} (the registry of live lists and of the
 * implementations, the balance-set manager, {@code !lookaside}), the driver's routines over every implementation
 * ({@code LookasideView}, {@code RegisteredList}), the built-in {@code nt} policy
 * ({@link dev.ringzero.lookaside.NtLookasidePolicy}), and the ServiceLoader entry point for code without
 * OSGi ({@link dev.ringzero.lookaside.LookasideServicesFactory}). Everything else here is package-private engine.
 *
 * <p>Not an OSGi export: the public classes are Declarative Services components or ServiceLoader providers, reached
 * through the SPI's {@code LookasideRegistry} and {@code LookasideProvider}. An implementation supplies only its
 * caching policy through the SPI ({@code dev.ringzero.spi.lookaside.LookasidePolicy} and {@code LookasideCache}):
 * {@code nt} here, {@code magazine} in its own module (allocator-magazine), a third party's in its own bundle; the
 * executive does registration, ownership, header marks, tuning, {@code !lookaside}, the verifier's checks, the bug
 * checks for misuse and delete the same for all of them. This page is the package's design; each implementation's
 * class comment ({@link dev.ringzero.lookaside.NtLookasideList}, {@code MagazineLookasideList}) gives its own
 * algorithm in full.
 *
 * <h2>The algorithm</h2>
 * A lookaside list is a cache of free, equally sized entries in front of an allocator (the driver's pool view,
 * or the driver's own Allocate / Free routines). Its whole shared state is NT's header, in the caller's memory
 * ({@link dev.ringzero.spi.lookaside.LookasideHeader}, x86 {@code GENERAL_LOOKASIDE}): the {@code SLIST_HEADER}
 * {@code ListHead} (a lock-free LIFO of the cached entries, linked through each entry's first four bytes), the
 * tuned {@code Depth}, and the counters. What cannot live in memory (the routines, the owner, the
 * implementation's {@code LookasideCache}) is the list's handle, a {@link dev.ringzero.lookaside.RegisteredList}, registered
 * against the header's address.
 * <ul>
 *   <li><b>{@code nt}</b> is wdm.h's inline routines: allocate pops {@code ListHead}, or misses to Allocate; free
 *       pushes while the S-list holds fewer than {@code Depth} entries, or misses to Free. One CAS per hit.</li>
 *   <li><b>{@code magazine}</b> puts a small per-thread cache in front of the same {@code ListHead}, which
 *       becomes the depot: the owner's hit touches only its own magazine (no CAS, no fence); the depot is
 *       reached a batch at a time ({@link dev.ringzero.spi.lookaside.SListChains}: a chain pushed or taken in one
 *       CAS). For one thread it is NT's list exactly: the same hits, misses, counters and LIFO order. How a
 *       thread finds its magazine, and when another party drains it, is the implementation's (its class
 *       comment); the rules below hold for any version of it.</li>
 *   <li><b>The balance-set manager</b> ({@link dev.ringzero.lookaside.BalanceSetManager},
 *       {@link dev.ringzero.lookaside.DepthTuner}) retunes every list's {@code Depth} from its counters' changes
 *       every three scans, as NT's {@code ExAdjustLookasideDepth} does, and lets each implementation fold its
 *       counters and reclaim what ended threads left ({@code tick}).</li>
 *   <li><b>The registry</b> marks each header's pool block as holding a live list
 *       ({@code ExecutivePool.setLookasideMark}), so that the verifier refuses a free of it (0xC4/0xCC), and
 *       drops a list whose block went away under it (the fault charged to the owner).</li>
 * </ul>
 *
 * <h2>Memory ordering, field by field</h2>
 * <ul>
 *   <li><b>{@code ListHead}</b>: only through the API's {@link dev.ringzero.api.memory.SListHeader} (its one
 *       codec and its volatile read / compare-and-set), by {@code SLists} and {@code SListChains} alike, so single
 *       and batch operations linearize on the word. An entry's link is written plainly before the CAS that
 *       publishes it; a popper reads the link after reading the word. Links read during a pop are racy peeks,
 *       validated by the CAS ({@code Sequence} advances on every push, so a stale read cannot succeed).</li>
 *   <li><b>The header's other fields</b> ({@code Depth}, {@code MaximumDepth}, the four counters, the tuner's
 *       snapshots): plain, by the list's users and the balance-set manager alike, as NT's inline routines and
 *       scanner do. The counters are statistics and {@code Depth} a hint: a lost increment or a stale depth is
 *       NT's own behaviour. Plain {@code int} / {@code short} accesses cannot tear.</li>
 *   <li><b>Per-thread caches</b> (the {@code magazine} implementation): written by their thread with plain
 *       accesses; any other party (a flush, a delete, the manager reclaiming an ended thread's) takes a cache
 *       over only by winning a CAS on the cache's state, which orders the owner's writes before its reads, and
 *       folds the cache's counters into the header only under the list's lock.</li>
 *   <li><b>The registry</b>: the live lists, in registration order, under one lock; the address index a
 *       volatile copy-on-write table republished under it, read without it. A list's {@code live} flag is
 *       volatile, cleared once under the registry's lock; {@code markable} is set before the list is published.</li>
 * </ul>
 *
 * <h2>Invariants a change must keep</h2>
 * <ol>
 *   <li>NT's header stays meaningful: after {@code fold()} (before every tuner scan, {@code !lookaside}, query,
 *       flush and delete) the header's counters are the list's, whatever the implementation caches elsewhere.</li>
 *   <li>{@code ListHead} is packed, read and replaced by {@code SListHeader} alone; no other code knows its bits.</li>
 *   <li>Every entry is in exactly one place: a thread's cache, the S-list, or back with the Free routine; a flush
 *       or delete hands every cached entry to Free exactly once, and a cache is drained by one party only.</li>
 *   <li>{@code Depth} governs what is cached: {@code Depth} 0 (the verifier) caches nothing, so every allocate and
 *       free reaches the pool, where the verifier can see it.</li>
 *   <li>Lock order: the registry's lock, then a list's own; never the other way round.</li>
 *   <li>A call on a deleted, purged or unloaded list is a bug check charged to its owner, never a JVM error.</li>
 * </ol>
 */
package dev.ringzero.lookaside;
