package dev.ringzero.lookaside;

import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideHeader;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.SListChains;
import java.lang.foreign.MemorySegment;

/**
 * The {@code nt} lookaside list's policy: NT's executive lookaside list, field for field and step for step. The
 * built-in implementation, written against the same SPI ({@link LookasideCache}) as any other.
 *
 * <h2>What a lookaside list is</h2>
 * A cache of free, equally sized blocks in front of a general allocator (the pool, or the driver's
 * own Allocate / Free routines). Its whole state is the caller's header — 0x68 bytes of
 * {@code PAGED_LOOKASIDE_LIST}, 0x50 of {@code NPAGED_LOOKASIDE_LIST} or 0x48 of
 * {@code LOOKASIDE_LIST_EX} in NT's x86 layout ({@link LookasideHeader}) — whose first word is an
 * {@code SLIST_HEADER}: a lock-free LIFO of the cached blocks, linked through each block's first four
 * bytes (so an entry must hold at least {@code LOOKASIDE_MINIMUM_BLOCK_SIZE} = 4 bytes; smaller sizes
 * are rounded up at initialization, as current kernels do).
 *
 * <h2>Allocate and free (wdm.h's inline routines, unchanged since NT 4)</h2>
 * <pre>
 * allocate:  TotalAllocates += 1
 *            e = InterlockedPopEntrySList(ListHead)
 *            if e == NULL: AllocateMisses += 1; e = Allocate(Type, Size, Tag)   // may be NULL
 * free:      TotalFrees += 1
 *            if QueryDepthSList(ListHead) >= Depth: FreeMisses += 1; Free(e)
 *            else InterlockedPushEntrySList(ListHead, e)
 * </pre>
 * A hit is a pop that found an entry; it is counted only in {@code TotalAllocates}. The hit path is
 * one CAS on the header word plus two plain counter updates — there is no lock, no Java object and no
 * IRQL check (NT's inline routines make none). {@code Depth} caps how many entries are cached; the
 * cap is checked against the S-list's own depth in the very header word the push replaces
 * ({@link SListChains#pushBelowDepth}). NT reads the depth first and pushes after, so racing frees can
 * overshoot the cap by one each; ours never does, which every NT caller also accepts. And
 * {@code TotalAllocates} / {@code TotalFrees} are counted just after the CAS rather than just before it:
 * a store right before a locked instruction makes the CAS wait for it (on the 16-core Xeon that moved the
 * hit path from 1.21× to 1.09× a bare Treiber stack), and since the counters are not ordered with the
 * S-list, no thread can tell the difference.
 *
 * <h2>Depth</h2>
 * Initialization sets {@code Depth} = 4 ({@code ExMinimumLookasideDepth}) and {@code MaximumDepth} =
 * 256, ignoring the caller's {@code Depth} argument exactly as every NT since 4.0 does (Wine's test
 * suite, run on Windows, checks it: a requested 20 reads back as 4). Under the Driver Verifier
 * {@code ExMinimumLookasideDepth} is 0, so a verified owner's list starts (and is kept) at depth 0:
 * every allocate misses and every free goes straight back to the pool, where the verifier can see it.
 * Afterwards the balance-set manager retunes {@code Depth} every 3 seconds ({@link DepthTuner}).
 *
 * <h2>Why the counters are plain</h2>
 * NT updates {@code TotalAllocates}, {@code AllocateMisses}, {@code TotalFrees} and {@code FreeMisses}
 * with ordinary increments, not interlocked ones: they are statistics for the tuner and the debugger,
 * and an interlocked add would double the cost of the hit path. Two processors racing on the same
 * counter can lose an increment. That is harmless — the tuner works on differences over three seconds
 * with a 0.5 % resolution, and unsigned 32-bit wraparound is expected — so we do the same: the
 * read-modify-writes below are plain, the race is benign, and a lost count is NT's behaviour.
 *
 * <h2>Delete</h2>
 * Current kernels first unlink the list from the system list (so the tuner stops visiting it), then
 * flush: one {@code InterlockedFlushSList} takes every cached entry, each goes to the Free routine, and
 * the counters stay as they were. {@link RegisteredList#flush()} and
 * {@link LookasideSystem#delete} do it in that order; {@code nt} keeps nothing outside {@code ListHead}, so every
 * hook but the hit paths is the SPI's default.
 */
final class NtLookasideList implements LookasideCache {

    static final String NAME = "nt";

    private final LookasideListHandle list;
    private final MemorySegment header;
    private final SystemMemory memory;
    private final SLists slists;

    NtLookasideList(LookasideListHandle list) {
        this.list = list;
        this.header = list.header();
        this.memory = list.memory();
        this.slists = new SLists(memory);
    }

    @Override
    public int allocate() {
        MemorySegment h = header;
        int entry = slists.pop(h);
        // Plain read-modify-write, as NT's inline routine does: a racing thread may lose this count (benign).
        // After the pop, not before it as in wdm.h: see the class comment.
        LookasideHeader.setTotalAllocates(h, LookasideHeader.totalAllocates(h) + 1);
        if (entry == 0) {
            LookasideHeader.setAllocateMisses(h, LookasideHeader.allocateMisses(h) + 1); // plain, benign race
            entry = list.allocateFromRoutine();
        }
        return entry;
    }

    @Override
    public void free(int entry) {
        MemorySegment h = header;
        // Depth is a plain read, as in NT: the tuner may be rewriting it, and any value read is a valid
        // decision. The S-list's own depth is checked on the word the push replaces.
        boolean cached = SListChains.pushBelowDepth(h, memory, entry, LookasideHeader.depth(h));
        LookasideHeader.setTotalFrees(h, LookasideHeader.totalFrees(h) + 1); // plain, benign race; after the CAS
        if (!cached) {
            LookasideHeader.setFreeMisses(h, LookasideHeader.freeMisses(h) + 1); // plain, benign race
            list.freeToRoutine(entry);
        }
    }
}
