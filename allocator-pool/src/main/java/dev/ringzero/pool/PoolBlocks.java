package dev.ringzero.pool;

import dev.ringzero.api.Owner;
import dev.ringzero.spi.memory.PoolBlockInfo;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The pool's blocks found by address or by scan, for everything but allocate and free: {@code ExQueryPoolBlockSize},
 * the leak report ({@code outstanding}), the host's reclaim of an unloaded driver's memory, the lookaside marks and
 * the debugger's views. Each chunk kind finds its own live blocks and reads its own headers ({@link Chunk}); the
 * scans read headers racily, which is enough for their purpose (see the package's memory-ordering rules).
 */
final class PoolBlocks {

    private final PoolEngine engine;

    PoolBlocks(PoolEngine engine) {
        this.engine = engine;
    }

    /** The live block holding {@code address} (anywhere inside it), or null. */
    BlockRef find(int address) {
        Chunk c = engine.memory.chunkAt(address);
        int start = c == null ? 0 : c.liveBlockAt(address);
        return start == 0 ? null : new BlockRef(c, start);
    }

    long queryBlockSize(int address) {
        BlockRef b = find(address);
        if (b == null) {
            throw AddressSpace.fault(address, 0, String.format("ExQueryPoolBlockSize(PoolBlock=%08X): not in a live block",
                    address));
        }
        return b.blockSize();
    }

    /** Every live block, optionally only one owner's (a scan of the headers; for leak reports and reclaim). */
    void forEachLive(int ownerIndex, Consumer<BlockRef> sink) {
        for (PoolSpace space : List.of(engine.nonPaged, engine.paged)) {
            for (Chunk c : space.chunks()) {
                c.forEachLive(ownerIndex, sink);
            }
        }
    }

    PoolBlockInfo info(BlockRef b) {
        long w0 = b.word0();
        long w1 = b.word1();
        return new PoolBlockInfo(b.address(), PoolHeader.numberOfBytes(w0), PoolHeader.tag(w1), PoolHeader.poolType(w0),
                engine.owners.ownerAt(PoolHeader.owner(w1)), engine.sites.at(b.address()));
    }

    /** The 16 header bytes before a small block, read-only; null for a block without an in-memory header. */
    MemorySegment poolHeader(int address) {
        BlockRef b = find(address);
        if (b == null || b.address() != address || !(b.chunk() instanceof PoolChunk pc) || !pc.headerInFront(address)) {
            return null;
        }
        return pc.segment.asSlice(address - pc.base - PoolHeader.SIZE, PoolHeader.SIZE).asReadOnly();
    }

    /** {@code owner}'s live blocks, by address. */
    List<PoolBlockInfo> outstanding(Owner owner) {
        OwnerState os = engine.owners.find(owner);
        if (os == null) {
            return List.of();
        }
        List<PoolBlockInfo> out = new ArrayList<>();
        forEachLive(os.index, b -> out.add(info(b)));
        out.sort(Comparator.comparingLong(i -> Integer.toUnsignedLong(i.address())));
        return out;
    }

    /** Frees every live block of {@code owner} without a check (the host reclaiming a driver's memory); how many. */
    int reclaim(Owner owner) {
        engine.ensureOpen();
        OwnerState os = engine.owners.find(owner);
        if (os == null) {
            return 0;
        }
        List<BlockRef> live = new ArrayList<>();
        forEachLive(os.index, live::add);
        live.forEach(engine::release);
        return live.size();
    }

    void setLookasideMark(int address, boolean live) {
        BlockRef b = find(address);
        if (b == null) {
            throw AddressSpace.fault(address, 1, String.format(
                    "setLookasideMark(address=%08X, live=%b): not in a live block", address, live));
        }
        engine.lookasideMarks.set(b, address, live);
    }

    boolean hasLookasideMark(int address) {
        BlockRef b = find(address);
        return b != null && (PoolHeader.flags(b.word0()) & PoolHeader.FLAG_LOOKASIDE) != 0;
    }
}
