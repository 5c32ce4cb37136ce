package dev.ringzero.spi.memory;

import dev.ringzero.api.Owner;
import java.util.List;

/**
 * A pool page as the debugger's {@code !pool} shows it: the region it is in and its blocks in address
 * order ({@link ExecutivePool#poolPage}).
 *
 * @param address the page's first address (for a block of whole pages, special pool or a huge block:
 *                the block's first page)
 * @param region  {@code Nonpaged pool}, {@code Paged pool} or {@code Special pool}
 * @param blocks  the blocks that lie on the page, in address order; empty for a free page
 * @since 1.2
 */
public record PoolPage(int address, String region, List<Block> blocks) {

    public PoolPage {
        blocks = List.copyOf(blocks);
    }

    /**
     * One block, as a pool header describes it.
     *
     * @param address      where the block's {@code POOL_HEADER} starts (the block's data follows it);
     *                     for a block without a header in front (whole pages, special pool) the block itself
     * @param size         the bytes the block takes, its header included, as NT's header counts them
     * @param previousSize the size of the block before it in the same run of equal blocks (a slab), 0 for
     *                     the first; Ringzero's slabs hold blocks of one size, so this is 0 or {@code size}
     * @param allocated    live ({@code Allocated}) or free ({@code Free})
     * @param tag          its tag; a free block keeps the tag of its last allocation, 0 when it never had one
     * @param dataAddress  the address the allocation returned (the header's end)
     * @param bytes        the bytes the allocation asked for (0 for a free block)
     * @param owner        who allocated it, {@code null} for a free block
     * @param large        a block of whole pages with its header kept aside (NT's "large page allocation")
     */
    public record Block(int address, int size, int previousSize, boolean allocated, int tag, int dataAddress,
                        long bytes, Owner owner, boolean large) {

        /** Whether {@code a} lies in this block, its header included. */
        public boolean contains(int a) {
            return Integer.toUnsignedLong(a - address) < Integer.toUnsignedLong(size);
        }
    }
}
