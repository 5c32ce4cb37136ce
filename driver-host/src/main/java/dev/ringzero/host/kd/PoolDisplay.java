package dev.ringzero.host.kd;

import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.memory.ExecutivePool;
import dev.ringzero.spi.memory.PoolPage;
import java.util.List;
import java.util.Locale;

/**
 * {@code !pool} and {@code !poolfind} over the executive's pool pages ({@link ExecutivePool#poolPage},
 * {@link ExecutivePool#findBlocks}), in the debugger's layout:
 * <pre>
 * Pool page 80010040 region is Nonpaged pool
 *  80010000 size:   20 previous size:    0  (Allocated)  Wasm
 * *80010020 size:   20 previous size:   20  (Allocated) *Wasm
 *         Pooltag Wasm : allocated by LookasideList#3, Binary : LookasideList
 * </pre>
 * Sizes are hex and count the header, as NT's do. Where NT quotes {@code pooltag.txt} for the tag's
 * description, Ringzero names the driver that allocated the block (it knows every block's owner). A block of
 * whole pages is one line, as NT shows a large page allocation. See {@code PoolPageWalker} (allocator-pool)
 * for what "previous size" means on a slab.
 */
public final class PoolDisplay {

    /** {@code !pool} flag 0x1: each block's first bytes. */
    static final long CONTENTS = 0x1;
    /** {@code !pool} flag 0x2: only the block holding the address. */
    static final long ONLY_THAT_BLOCK = 0x2;
    /** {@code !pool} flag 0x80000000: no tag description. */
    static final long NO_DESCRIPTION = 0x8000_0000L;

    private static final String[] POOL_NAMES = {"NonPaged pool", "Paged pool", "Special pool"};

    private final ExecutivePool pool;
    private final MemoryDisplay memory;

    public PoolDisplay(ExecutivePool pool, MemoryDisplay memory) {
        this.pool = pool;
        this.memory = memory;
    }

    /** {@code !pool ADDRESS [FLAGS]}. */
    public String pool(String... args) {
        if (args.length == 0 || args.length > 2) {
            throw new KdError("pool: needs an ADDRESS, and optionally FLAGS (pool 80010020 2)");
        }
        int address = KdArgs.address("pool", args[0]);
        long flags = args.length == 2 ? KdArgs.number("pool", "FLAGS", args[1]) : 0;
        if ((flags & ~(CONTENTS | ONLY_THAT_BLOCK | NO_DESCRIPTION)) != 0) {
            throw new KdError(String.format(Locale.ROOT, "pool: unknown FLAGS bits 0x%x (1 contents, 2 only the block"
                    + " holding ADDRESS, 80000000 no description)", flags & ~(CONTENTS | ONLY_THAT_BLOCK | NO_DESCRIPTION)));
        }
        PoolPage page = pool.poolPage(address);
        if (page == null) {
            throw new KdError(String.format(Locale.ROOT, "pool: %08x is on no pool page", address));
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Pool page %08x region is %s%n", address,
                page.region()));
        if (page.blocks().isEmpty()) {
            return sb.append(String.format(Locale.ROOT, "%08x is on a free page: no block there%n", address)).toString();
        }
        PoolPage.Block holder = null;
        for (PoolPage.Block b : page.blocks()) {
            boolean mine = b.contains(address);
            if (mine) {
                holder = b;
            }
            if ((flags & ONLY_THAT_BLOCK) != 0 && !mine) {
                continue;
            }
            sb.append(row(b, true, mine)).append('\n');
            if ((flags & CONTENTS) != 0 && b.allocated()) {
                sb.append(memory.render(MemoryDisplay.Unit.DWORD, b.dataAddress(), (int) Math.min(4, (b.bytes() + 3) / 4)));
            }
        }
        if (holder == null) {
            sb.append(String.format(Locale.ROOT, "%08x is in no block of the page (a slab's tail)%n", address));
        } else if ((flags & NO_DESCRIPTION) == 0) {
            sb.append(description(holder)).append('\n');
        }
        return sb.toString();
    }

    /** {@code !poolfind TAG [POOLTYPE]}. */
    public String poolfind(String... args) {
        if (args.length == 0 || args.length > 2) {
            throw new KdError("poolfind: needs a TAG, and optionally a POOLTYPE (poolfind Wasm 1)");
        }
        String tag = tagPattern(args[0]);
        long type = args.length == 2 ? KdArgs.number("poolfind", "POOLTYPE", args[1]) : 0;
        if (type == 4) {
            throw new KdError("poolfind: Ringzero has no session pool (4); POOLTYPE is 0 non-paged, 1 paged, 2 special pool");
        }
        if (type < 0 || type > 2) {
            throw new KdError("poolfind: POOLTYPE " + args[1] + " is not 0 (non-paged), 1 (paged) or 2 (special pool)");
        }
        List<PoolPage.Block> blocks;
        try {
            blocks = pool.findBlocks(tag, (int) type);
        } catch (IllegalArgumentException e) {
            throw new KdError("poolfind: " + e.getMessage());
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Searching %s for Tag: %s%n%n",
                POOL_NAMES[(int) type], tag));
        blocks.forEach(b -> sb.append(row(b, false, false)).append('\n'));
        return sb.append(String.format(Locale.ROOT, "%n%d block(s) found%n", blocks.size())).toString();
    }

    /**
     * A tag as {@code !poolfind} takes it: four characters, with {@code ?} and {@code *} (fewer only with a
     * {@code *}), or a value that starts with {@code 0x} (the {@code ULONG}, shown as its bytes in memory order).
     */
    static String tagPattern(String word) {
        if (word.startsWith("0x")) {
            Long v = KdArgs.parse(word);
            if (v == null || v > 0xFFFF_FFFFL) {
                throw new KdError("poolfind: not a tag value: " + word + " (0x6D736157 is 'Wasm')");
            }
            return PoolTag.toString((int) (long) v);
        }
        if (word.length() > 4 || (word.length() < 4 && !word.contains("*"))) {
            throw new KdError("poolfind: tag '" + word + "' has " + word.length() + " characters; a tag has four"
                    + " (* for any rest: " + word.substring(0, Math.min(3, word.length())) + "*)");
        }
        try {
            return PoolTag.checkPattern(word);
        } catch (IllegalArgumentException e) {
            throw new KdError("poolfind: " + e.getMessage());
        }
    }

    /**
     * {@code *80010020 size:   20 previous size:   20  (Allocated) *Wasm} ({@code !pool}: a column for the star in
     * front and before the tag), or without those columns {@code 80010020 size: ... (Allocated) Wasm}
     * ({@code !poolfind}); a large block's line in the same two shapes.
     */
    static String row(PoolPage.Block b, boolean starColumns, boolean mine) {
        String star = !starColumns ? "" : mine ? "*" : " ";
        String tag = b.tag() == 0 ? "    " : PoolTag.toString(b.tag());
        if (b.large()) {
            return String.format(Locale.ROOT, "%s%08x : large page allocation, tag is %s, size is 0x%x bytes%s", star,
                    b.address(), tag, b.size(), b.allocated() ? "" : " (Free)");
        }
        return String.format(Locale.ROOT, "%s%08x size: %4x previous size: %4x  %-11s %s%s", star, b.address(), b.size(),
                b.previousSize(), b.allocated() ? "(Allocated)" : "(Free)", star, tag);
    }

    /** The line under {@code !pool}'s rows that NT fills from pooltag.txt: here, who allocated the block. */
    static String description(PoolPage.Block b) {
        String tag = b.tag() == 0 ? "    " : PoolTag.toString(b.tag());
        if (!b.allocated()) {
            return b.tag() == 0 ? "\t\tno tag: a free block never allocated"
                    : String.format(Locale.ROOT, "\t\tPooltag %s : free (the tag of its last allocation)", tag);
        }
        return String.format(Locale.ROOT, "\t\tPooltag %s : allocated by %s, %d bytes asked at %08x, Binary : %s", tag,
                b.owner(), b.bytes(), b.dataAddress(), b.owner() == null ? "?" : b.owner().name());
    }
}
