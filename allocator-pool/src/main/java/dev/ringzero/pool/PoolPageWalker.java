package dev.ringzero.pool;

import static dev.ringzero.pool.SizeClasses.PAGE_SHIFT;
import static dev.ringzero.pool.SizeClasses.PAGE_SIZE;
import static dev.ringzero.pool.SizeClasses.SLAB_MASK;
import static dev.ringzero.pool.SizeClasses.SLAB_PAGES;
import static dev.ringzero.pool.SizeClasses.SLOTS;
import static dev.ringzero.pool.SizeClasses.STRIDE;

import dev.ringzero.api.Owner;
import dev.ringzero.spi.memory.PoolPage;
import java.util.ArrayList;
import java.util.List;

/**
 * The debugger's walk over pool pages: the blocks on the page of an address ({@code !pool}) and every block
 * with a tag ({@code !poolfind}). It only reads: page descriptors and header words, without the pool's
 * locks, so a block allocated or freed while it walks may show either way (as a debugger reading a live
 * machine's pool would); it never changes a block.
 *
 * <p>What a row shows, against NT's {@code POOL_HEADER}: a small block's header precedes it in its slab
 * ({@link PoolHeader}), so its row starts at the header and its size is the slab's stride (header + block),
 * as NT's {@code BlockSize} counts the header. NT's pool pages hold blocks of any size and
 * {@code PreviousSize} links them; a Ringzero slab holds blocks of one size class that may straddle a
 * 4 KiB page, so the rows of a page are the slots that overlap it, and the previous size is the stride for
 * every slot but the slab's first (0). A block of whole pages has its header aside, like NT's big-page
 * table: one row, {@code large}. A free block keeps the tag of its last allocation (only word 0 changes at
 * free), which is why {@code !poolfind} finds free blocks by tag, as NT's does.
 */
final class PoolPageWalker {

    static final String NONPAGED = "Nonpaged pool";
    static final String PAGED = "Paged pool";
    static final String SPECIAL = "Special pool";

    private final PoolEngine engine;

    PoolPageWalker(PoolEngine engine) {
        this.engine = engine;
    }

    /** The page holding {@code address}, or {@code null} when no chunk backs the address. */
    PoolPage page(int address) {
        Chunk c = engine.memory.chunkAt(address);
        return switch (c) {
            case PoolChunk pc -> poolPage(pc, address);
            case HugeChunk hc -> Integer.toUnsignedLong(address - hc.base) < hc.pagesBytes()
                    ? new PoolPage(hc.base, region(hc.space), List.of(huge(hc))) : null;
            case SpecialChunk sc -> specialPage(sc, address);
            case null -> null;
        };
    }

    /**
     * Every block tagged as {@code tagPattern} matches in one pool: 0 non-paged, 1 paged, 2 special pool.
     *
     * @throws IllegalArgumentException for a bad pattern or pool number, naming it
     */
    List<PoolPage.Block> find(String tagPattern, int pool) {
        SpecialPoolTags.Pattern pattern = SpecialPoolTags.parse(tagPattern);
        if (pool < 0 || pool > 2) {
            throw new IllegalArgumentException("pool type " + pool + ": 0 (non-paged), 1 (paged) or 2 (special pool)");
        }
        List<PoolPage.Block> found = new ArrayList<>();
        List<PoolSpace> spaces = pool == 2 ? List.of(engine.nonPaged, engine.paged)
                : List.of(pool == 0 ? engine.nonPaged : engine.paged);
        for (PoolSpace space : spaces) {
            for (Chunk c : space.chunks()) {
                switch (c) {
                    case PoolChunk pc when pool != 2 -> findIn(pc, pattern, found);
                    case HugeChunk hc when pool != 2 -> {
                        int tag = PoolHeader.tag(hc.word1(hc.base));
                        if (!hc.freed && tag != 0 && pattern.matches(tag)) {
                            found.add(huge(hc));
                        }
                    }
                    case SpecialChunk sc when pool == 2 -> {
                        for (int p = 0; p < sc.pages; p++) {
                            SpecialBlock b = sc.blocks[p];
                            if (b != null && firstPageOf(sc, b) == p && pattern.matches(PoolHeader.tag(b.word1))) {
                                found.add(special(b));
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        found.sort((a, b) -> Integer.compareUnsigned(a.address(), b.address()));
        return found;
    }

    private PoolPage poolPage(PoolChunk pc, int address) {
        int page = (address - pc.base) >>> PAGE_SHIFT;
        String region = region(pc.space);
        return switch (pc.kind(page)) {
            case PoolChunk.SLAB -> new PoolPage(pc.base + (page << PAGE_SHIFT), region, slabBlocksOn(pc, page));
            case PoolChunk.BIG, PoolChunk.BIG_TAIL -> {
                int head = pc.kind(page) == PoolChunk.BIG ? page : pc.info(page);
                yield new PoolPage(pc.base + (head << PAGE_SHIFT), region, List.of(big(pc, head)));
            }
            default -> new PoolPage(pc.base + (page << PAGE_SHIFT), region, List.of());
        };
    }

    /** The slots of {@code page}'s slab that overlap the page, the slab's tail (no whole slot) left out. */
    private List<PoolPage.Block> slabBlocksOn(PoolChunk pc, int page) {
        int cls = pc.info(page);
        int stride = STRIDE[cls];
        int slabOff = (page << PAGE_SHIFT) & ~SLAB_MASK;
        int pageInSlab = (page << PAGE_SHIFT) - slabOff;
        int first = pageInSlab / stride;
        int last = Math.min(SLOTS[cls] - 1, (pageInSlab + PAGE_SIZE - 1) / stride);
        List<PoolPage.Block> blocks = new ArrayList<>();
        for (int slot = first; slot <= last; slot++) {
            blocks.add(slot(pc, slabOff, cls, slot));
        }
        return blocks;
    }

    private PoolPage.Block slot(PoolChunk pc, int slabOff, int cls, int slot) {
        int stride = STRIDE[cls];
        int header = slabOff + slot * stride;
        int block = pc.base + header + PoolHeader.SIZE;
        long w0 = pc.word0(block);
        long w1 = pc.word1(block);
        boolean live = PoolHeader.isLive(w0);
        return new PoolPage.Block(pc.base + header, stride, slot == 0 ? 0 : stride, live, PoolHeader.tag(w1),
                block, live ? PoolHeader.numberOfBytes(w0) : 0, owner(live, w1), false);
    }

    private PoolPage.Block big(PoolChunk pc, int head) {
        long w0 = pc.pageWord0(head);
        long w1 = pc.pageWord1(head);
        boolean live = PoolHeader.isLive(w0);
        int address = pc.base + (head << PAGE_SHIFT);
        return new PoolPage.Block(address, pc.info(head) << PAGE_SHIFT, 0, live, PoolHeader.tag(w1), address,
                live ? PoolHeader.numberOfBytes(w0) : 0, owner(live, w1), true);
    }

    private PoolPage.Block huge(HugeChunk hc) {
        long w0 = hc.word0(hc.base);
        long w1 = hc.word1(hc.base);
        boolean live = !hc.freed && PoolHeader.isLive(w0);
        return new PoolPage.Block(hc.base, (int) hc.pagesBytes(), 0, live, PoolHeader.tag(w1), hc.base,
                live ? PoolHeader.numberOfBytes(w0) : 0, owner(live, w1), true);
    }

    private PoolPage specialPage(SpecialChunk sc, int address) {
        int page = (address - sc.base) >>> PAGE_SHIFT;
        SpecialBlock b = sc.blocks[page];
        if (b == null) {
            return new PoolPage(sc.base + (page << PAGE_SHIFT), SPECIAL, List.of());
        }
        return new PoolPage(sc.base + (firstPageOf(sc, b) << PAGE_SHIFT), SPECIAL, List.of(special(b)));
    }

    private PoolPage.Block special(SpecialBlock b) {
        boolean live = !b.freed && PoolHeader.isLive(b.word0);
        return new PoolPage.Block(b.address, (int) ((PoolHeader.numberOfBytes(b.word0) + 15) & -16), 0, live,
                PoolHeader.tag(b.word1), b.address, live ? PoolHeader.numberOfBytes(b.word0) : 0, owner(live, b.word1),
                false);
    }

    private static int firstPageOf(SpecialChunk sc, SpecialBlock b) {
        return (b.address - sc.base) >>> PAGE_SHIFT;
    }

    /** The blocks of {@code pc} whose tag matches: small blocks slab by slab, then blocks of whole pages. */
    private void findIn(PoolChunk pc, SpecialPoolTags.Pattern pattern, List<PoolPage.Block> found) {
        for (int page = 0; page < pc.pages; page++) {
            int kind = pc.kind(page);
            if (kind == PoolChunk.SLAB && page % SLAB_PAGES == 0) {
                int cls = pc.info(page);
                int slabOff = page << PAGE_SHIFT;
                for (int slot = 0; slot < SLOTS[cls]; slot++) {
                    long w1 = pc.word1(pc.base + slabOff + slot * STRIDE[cls] + PoolHeader.SIZE);
                    int tag = PoolHeader.tag(w1);
                    if (tag != 0 && pattern.matches(tag)) {
                        found.add(slot(pc, slabOff, cls, slot));
                    }
                }
            } else if (kind == PoolChunk.BIG) {
                int tag = PoolHeader.tag(pc.pageWord1(page));
                if (tag != 0 && pattern.matches(tag)) {
                    found.add(big(pc, page));
                }
            }
        }
    }

    private Owner owner(boolean live, long w1) {
        return live ? engine.owners.ownerAt(PoolHeader.owner(w1)) : null;
    }

    private static String region(PoolSpace space) {
        return space.paged ? PAGED : NONPAGED;
    }
}
