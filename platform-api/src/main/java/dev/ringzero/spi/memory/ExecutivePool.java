package dev.ringzero.spi.memory;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The pool and the address space it owns: one per host. The host hands each driver its own
 * {@link #forDriver view}; the rest is the executive's and the debugger's.
 *
 * <p>Found with {@link java.util.ServiceLoader} on a plain module path (each provider instance is a
 * fresh, independent pool with the defaults), or made by a {@link Factory} (also found with
 * {@code ServiceLoader}) where the launcher decides where the pool keeps its files.
 */
@ProviderType
public interface ExecutivePool {

    /** The pool as {@code owner} sees it: what it allocates is owned by it. */
    PoolAllocator forDriver(Owner owner);

    /** The address space every block lives in. */
    SystemMemory memory();

    /** Per-tag accounting, both pools, sorted by tag. */
    List<PoolTagUsage> usage();

    /** Bytes asked for by live blocks, both pools. */
    long bytesInUse();

    /** The live blocks {@code owner} allocated (a leak report at unload). */
    List<PoolBlockInfo> outstanding(Owner owner);

    /**
     * Frees every live block {@code owner} still has, without bug checks (the host reclaiming an
     * unloaded or quarantined driver's memory).
     *
     * @return how many blocks were freed
     */
    int reclaim(Owner owner);

    /**
     * Revokes {@code owner}'s view of the pool for good (the host unloading its driver): every later
     * call through the {@link PoolAllocator} {@link #forDriver} gave it raises
     * {@link dev.ringzero.api.BugCheck#callAfterUnload 0xCE} and allocates nothing. Its blocks stay
     * as they are ({@link #reclaim} frees them). The fast paths pay nothing for it: revocation is a bit
     * of the owner's mode word, which they test anyway.
     */
    void revoke(Owner owner);

    /** Switches the Driver Verifier on or off for one owner. */
    void setVerified(Owner owner, boolean verified);

    /** Switches the Driver Verifier on or off for every owner that has no setting of its own. */
    void setVerifiedByDefault(boolean verified);

    /** Whether {@code owner} is verified. */
    boolean isVerified(Owner owner);

    /**
     * Serves {@code owner}'s allocations from special pool: one mapping per block, bounded exactly,
     * closed at free, so an overrun or a use after free faults at the access (0xD6 / 0xD5).
     */
    void setSpecialPool(Owner owner, boolean special);

    /**
     * Serves every allocation whose tag matches {@code tagPattern} from special pool, whoever allocates it
     * (the verifier's special pool by tag), or stops doing so. The pattern is a tag as tools display it
     * ({@code Wasm}), one to four characters, where {@code ?} matches any one character and {@code *}
     * whatever follows ({@code Lk*}); a shorter pattern is padded with spaces. Blocks allocated before keep
     * where they are.
     *
     * @throws IllegalArgumentException for an empty pattern, one of more than four characters, or one
     *     with a character that is not printable ASCII
     * @since 1.1
     */
    void setSpecialPoolTag(String tagPattern, boolean special);

    /**
     * The tag patterns special pool serves, in the order they were set.
     *
     * @since 1.1
     */
    List<String> specialPoolTags();

    /**
     * Marks or unmarks the block at {@code address} as holding a live lookaside list header. Freeing a
     * marked block is 0xC4/0xCC under the verifier; without it the free succeeds and the list's next
     * depth scan finds the header gone (0xCE), as in NT.
     */
    void setLookasideMark(int address, boolean live);

    /** Whether the block at {@code address} is live and marked as holding a live lookaside list. */
    boolean hasLookasideMark(int address);

    /**
     * The stop code NT would show for an exception that escaped driver code touching this pool's memory.
     * The pool knows its blocks: an access past the end of a special-pool block is
     * {@code DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION} (0xD6) and an access to a freed one 0xD5, with
     * the system address referenced as Parameter1. The default knows nothing of blocks:
     * {@link BugCheck#fromDriverFault}.
     */
    default BugCheck translateFault(Throwable fault) {
        return BugCheck.fromDriverFault(fault);
    }

    /**
     * The pool page holding {@code address}, with every block on it: what the debugger's {@code !pool}
     * shows. {@code null} when {@code address} is on no pool page (outside both pools, or in a stretch
     * of addresses no chunk backs yet). The default knows no pages and answers {@code null}.
     *
     * @since 1.2
     */
    default PoolPage poolPage(int address) {
        return null;
    }

    /**
     * Every block whose tag matches {@code tagPattern} in one pool, free blocks that still carry the tag
     * included: what the debugger's {@code !poolfind} shows. The pattern is a tag as displayed, with
     * {@code ?} for any one character and {@code *} for any rest ({@link PoolTag#checkPattern}).
     *
     * @param pool {@code 0} non-paged pool, {@code 1} paged pool, {@code 2} special pool ({@code !poolfind}'s
     *             PoolType values)
     * @throws IllegalArgumentException for a bad pattern or pool, naming what is wrong
     * @since 1.2
     */
    default List<PoolPage.Block> findBlocks(String tagPattern, int pool) {
        PoolTag.checkPattern(tagPattern);
        return List.of();
    }

    /** {@code !poolused}-style text: per tag, non-paged and paged allocs and bytes, sorted as asked. */
    String renderPoolUsed(PoolUsedSort sort, String tagPattern);

    /** How {@link #renderPoolUsed} sorts its rows. */
    enum PoolUsedSort { TAG, NONPAGED, PAGED }

    /**
     * Makes pools where the caller decides their folder: the launcher's assembly of the executive
     * (the pool is a named module on the launcher's module path, not a bundle, so no framework
     * property reaches it). Found with {@link java.util.ServiceLoader}.
     */
    @ProviderType
    interface Factory {

        /**
         * A fresh, independent pool with the defaults, whose paged pool keeps its page file in
         * {@code dataFolder} (the host's {@code data/}, so that the next start there cleans up after a
         * killed host).
         */
        ExecutivePool create(Path dataFolder);
    }
}
