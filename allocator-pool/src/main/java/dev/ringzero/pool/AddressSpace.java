package dev.ringzero.pool;


import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Irql;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The 32-bit system address space: the chunk table, and the way back from a native segment to its
 * system address.
 *
 * <pre>
 * 0x00000000 ┌──────────────────────┐
 *            │ user space: no chunk │  every access is a page fault (0x50)
 * 0x80000000 ├──────────────────────┤ NON_PAGED_POOL_START
 *            │ non-paged pool, 1 GiB│  chunks of anonymous memory, reserved on demand
 * 0xC0000000 ├──────────────────────┤ PAGED_POOL_START
 *            │ paged pool, 1 GiB    │  chunks mapped from the page file, reserved on demand
 * 0xFFFFFFFF └──────────────────────┘
 * </pre>
 * {@code table[address >>> chunkBits]} is the chunk of any address (an array of {@code 2^(32 -
 * chunkBits)} entries, 1024 for 4 MiB chunks); the chunk's page descriptors then give the block, its
 * size and its state, in constant time. An address in no live block is bug check 0x50
 * ({@code PAGE_FAULT_IN_NONPAGED_AREA}, Parameter1 the address, Parameter2 0 read / 1 write; 0xD1 at
 * DISPATCH_LEVEL and above, see {@link #fault}) and never reaches native memory unchecked: every access
 * goes through a segment bounded to the block.
 *
 * <p>{@link #addressOf} maps back: pool and huge chunks are kept in an array sorted by native base
 * (changed copy-on-write, rarely), special blocks in a concurrent skip list; a racy one-entry cache
 * holds the last range found.
 */
final class AddressSpace implements SystemMemory {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfInt INT_UNALIGNED = ValueLayout.JAVA_INT_UNALIGNED;

    /** A native range of a pool chunk or a huge block. */
    record NativeRange(long nativeBase, long nativeEnd, Chunk chunk) {
        int systemAddress(long nativeAddress) {
            return chunk.base + (int) (nativeAddress - nativeBase);
        }
    }

    final int chunkBits;
    final Chunk[] table;
    /**
     * {@link #table}'s pool chunks alone (null elsewhere): the fast paths' lookup, where a null test
     * replaces the type test a {@code Chunk} would need.
     */
    final PoolChunk[] poolChunks;

    private final Object rangesLock = new Object();
    private volatile NativeRange[] ranges = new NativeRange[0];
    /** Racy cache of the last range {@link #addressOf} found; any value it holds is a real range. */
    private NativeRange lastRange;
    private final ConcurrentSkipListMap<Long, SpecialBlock> specials = new ConcurrentSkipListMap<>();

    AddressSpace(int chunkBits) {
        this.chunkBits = chunkBits;
        this.table = new Chunk[1 << (32 - chunkBits)];
        this.poolChunks = new PoolChunk[table.length];
    }

    Chunk chunkAt(int address) {
        return table[address >>> chunkBits];
    }

    /** The pool chunk of {@code address}, or null (no chunk, or a huge or special one). */
    PoolChunk poolChunkAt(int address) {
        return poolChunks[address >>> chunkBits];
    }

    // ---- SystemMemory

    @Override
    public MemorySegment resolve(int address) {
        checkPageable(address, 0, "resolve");
        return slice(address, -1, 0);
    }

    @Override
    public MemorySegment resolve(int address, long byteSize) {
        if (byteSize < 0) {
            throw fault(address, 0, String.format("resolve(address=%08X, byteSize=%d): negative size", address, byteSize));
        }
        checkPageable(address, 0, "resolve");
        return slice(address, byteSize, 0);
    }

    @Override
    public int readInt(int address) {
        if ((address & 3) != 0) {
            throw fault(address, 0, String.format("readInt(address=%08X): misaligned (not a multiple of 4)", address));
        }
        checkPageable(address, 0, "readInt");
        Chunk c = chunkAt(address);
        if (c instanceof PoolChunk pc) {
            long loc = pc.locate(address);
            if (loc >= 4L << 32) {
                return pc.segment.get(INT, (int) loc);
            }
        } else if (c != null) {
            MemorySegment s = otherSlice(c, address, 4);
            if (s != null) {
                return s.get(INT, 0);
            }
        }
        throw fault(address, 0, String.format("readInt(address=%08X): not in a live block", address));
    }

    @Override
    public void writeInt(int address, int value) {
        if ((address & 3) != 0) {
            throw fault(address, 1, String.format("writeInt(address=%08X, value=%08X): misaligned (not a multiple of 4)",
                    address, value));
        }
        checkPageable(address, 1, "writeInt");
        Chunk c = chunkAt(address);
        if (c instanceof PoolChunk pc) {
            long loc = pc.locate(address);
            if (loc >= 4L << 32) {
                pc.segment.set(INT, (int) loc, value);
                return;
            }
        } else if (c != null) {
            MemorySegment s = otherSlice(c, address, 4);
            if (s != null) {
                s.set(INT, 0, value);
                return;
            }
        }
        throw fault(address, 1, String.format("writeInt(address=%08X, value=%08X): not in a live block", address, value));
    }

    /**
     * Racy by design: reads pool memory whether or not the block is live (the S-list pop validates
     * the value with its CAS). Pool chunks stay mapped until the pool closes, so the read is always
     * inside our own memory; a freed special or huge block has no memory any more and reads as 0.
     */
    @Override
    public int peekInt(int address) {
        Chunk c = chunkAt(address);
        try {
            switch (c) {
                case PoolChunk pc -> {
                    long off = address - pc.base;
                    return off + 4 <= pc.segment.byteSize() ? pc.segment.get(INT_UNALIGNED, off) : 0;
                }
                case HugeChunk hc -> {
                    long off = Integer.toUnsignedLong(address - hc.base);
                    return !hc.freed && off + 4 <= hc.segment.byteSize() ? hc.segment.get(INT_UNALIGNED, off) : 0;
                }
                case SpecialChunk sc -> {
                    SpecialBlock b = sc.blockAt(address);
                    if (b == null || b.freed) {
                        return 0;
                    }
                    long off = Integer.toUnsignedLong(address - b.address);
                    return off + 4 <= b.size() ? b.segment.get(INT_UNALIGNED, off) : 0;
                }
                case null -> {
                    return 0;
                }
            }
        } catch (IllegalStateException closedMeanwhile) {
            return 0; // the block was freed (its arena closed) between the check and the read: nothing mapped
        }
    }

    @Override
    public boolean isValid(int address) {
        Chunk c = chunkAt(address);
        if (c instanceof PoolChunk pc) {
            return pc.locate(address) >= 0;
        }
        return c != null && otherSlice(c, address, 0) != null;
    }

    @Override
    public int addressOf(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("not a pool segment (a heap segment): " + segment);
        }
        long n = segment.address();
        long end = n + segment.byteSize();
        NativeRange r = lastRange;
        if (r == null || n < r.nativeBase || end > r.nativeEnd) {
            r = findRange(n);
        }
        if (r != null && end <= r.nativeEnd) {
            lastRange = r;
            return r.systemAddress(n);
        }
        Map.Entry<Long, SpecialBlock> e = specials.floorEntry(n);
        if (e != null) {
            SpecialBlock b = e.getValue();
            if (end <= b.nativeBase + b.size()) {
                return b.address + (int) (n - b.nativeBase);
            }
        }
        throw new IllegalArgumentException("segment does not belong to this address space: " + segment);
    }

    /**
     * The system address of a native address inside (or at the end of) one of our ranges, or -1L:
     * how {@link FaultTranslation} names the address a faulting segment had.
     */
    long systemAddressOfNative(long nativeAddress) {
        NativeRange r = findRange(nativeAddress);
        if (r != null) {
            return Integer.toUnsignedLong(r.systemAddress(nativeAddress));
        }
        SpecialBlock b = specialAtNative(nativeAddress);
        return b == null ? -1L : Integer.toUnsignedLong(b.address + (int) (nativeAddress - b.nativeBase));
    }

    /** The special block whose memory holds {@code nativeAddress} (its end included), or null. */
    SpecialBlock specialAtNative(long nativeAddress) {
        Map.Entry<Long, SpecialBlock> e = specials.floorEntry(nativeAddress);
        return e != null && nativeAddress - e.getValue().nativeBase <= e.getValue().size() ? e.getValue() : null;
    }

    private NativeRange findRange(long nativeAddress) {
        NativeRange[] rs = ranges;
        int lo = 0;
        int hi = rs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            NativeRange r = rs[mid];
            if (nativeAddress < r.nativeBase) {
                hi = mid - 1;
            } else if (nativeAddress >= r.nativeEnd) {
                lo = mid + 1;
            } else {
                return r;
            }
        }
        return null;
    }

    void addRange(Chunk chunk, MemorySegment segment) {
        synchronized (rangesLock) {
            NativeRange[] rs = Arrays.copyOf(ranges, ranges.length + 1);
            rs[rs.length - 1] = new NativeRange(segment.address(), segment.address() + segment.byteSize(), chunk);
            Arrays.sort(rs, (a, b) -> Long.compare(a.nativeBase, b.nativeBase));
            ranges = rs;
        }
    }

    void removeRange(Chunk chunk) {
        synchronized (rangesLock) {
            ranges = Arrays.stream(ranges).filter(r -> r.chunk != chunk).toArray(NativeRange[]::new);
            lastRange = null;
        }
    }

    void addSpecial(SpecialBlock b) {
        specials.put(b.nativeBase, b);
    }

    void removeSpecial(SpecialBlock b) {
        specials.remove(b.nativeBase, b);
    }

    // ---- resolving

    private MemorySegment slice(int address, long byteSize, int access) {
        PoolChunk pc = poolChunkAt(address);
        if (pc != null) {
            long loc = pc.locate(address);
            if (loc >= 0) {
                long remaining = loc >>> 32;
                if (byteSize <= remaining) {
                    return pc.segment.asSlice((int) loc, byteSize < 0 ? remaining : byteSize);
                }
                throw fault(address, access, String.format(
                        "resolve(address=%08X, byteSize=%d): runs past the block's end (%d bytes left)", address, byteSize,
                        remaining));
            }
        } else if (chunkAt(address) instanceof Chunk c) {
            MemorySegment s = otherSlice(c, address, byteSize);
            if (s != null) {
                return s;
            }
        }
        throw fault(address, access, byteSize < 0
                ? String.format("resolve(address=%08X): not in a live block", address)
                : String.format("resolve(address=%08X, byteSize=%d): not within a live block", address, byteSize));
    }

    /** A slice of a huge or special block from {@code address}, {@code byteSize} long (-1: to the end), or null. */
    private static MemorySegment otherSlice(Chunk c, int address, long byteSize) {
        MemorySegment block;
        long off;
        switch (c) {
            case HugeChunk hc -> {
                if (!hc.holds(address)) {
                    return null;
                }
                off = Integer.toUnsignedLong(address - hc.base);
                block = hc.segment.asSlice(0, PoolHeader.numberOfBytes(hc.word0(hc.base)));
            }
            case SpecialChunk sc -> {
                SpecialBlock b = sc.blockAt(address);
                if (b == null || b.freed) {
                    return null;
                }
                block = b.segment;
                off = Integer.toUnsignedLong(address - b.address);
                if (off >= b.size()) {
                    return null;
                }
            }
            default -> {
                return null;
            }
        }
        long remaining = block.byteSize() - off;
        if (byteSize > remaining) {
            return null;
        }
        return block.asSlice(off, byteSize < 0 ? remaining : byteSize);
    }

    /**
     * Paged pool touched at DISPATCH_LEVEL or above: {@code DRIVER_IRQL_NOT_LESS_OR_EQUAL} (0xD1; P1 the
     * address, P2 the IRQL, P3 0 read / 1 write, P4 the faulting instruction, which we do not have: 0).
     * NT faults only when the page happens to be paged out; here it always does, as under Driver
     * Verifier's IRQL checking, which pages pageable memory out whenever the IRQL is raised. A segment
     * resolved earlier is not checked again (plain memory from then on); {@link #peekInt} (the S-lists'
     * racy read) and {@link #isValid} ({@code MmIsAddressValid}) are not checked.
     */
    private static void checkPageable(int address, int access, String call) {
        if (Integer.compareUnsigned(address, PAGED_POOL_START) >= 0) {
            int irql = Irql.KeGetCurrentIrql();
            if (irql >= Irql.DISPATCH_LEVEL) {
                throw new BugCheck(BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, Integer.toUnsignedLong(address), irql,
                        access, 0, String.format("%s(address=%08X) at %s: paged pool is pageable memory, touched at or above "
                                + "DISPATCH_LEVEL", call, address, Irql.name(irql)));
            }
        }
    }

    /**
     * An access to an address in no live block: {@code PAGE_FAULT_IN_NONPAGED_AREA} (0x50; P1 the address,
     * P2 0 read / 1 write), or, at DISPATCH_LEVEL or above, where NT's page-fault handler cannot run,
     * {@code DRIVER_IRQL_NOT_LESS_OR_EQUAL} (0xD1; P1 the address, P2 the IRQL, P3 0 read / 1 write, P4 0),
     * as NT reports a driver touching "pageable or completely invalid" memory at a raised IRQL.
     */
    static BugCheck fault(int address, int access, String detail) {
        int irql = Irql.KeGetCurrentIrql();
        if (irql >= Irql.DISPATCH_LEVEL) {
            return new BugCheck(BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, Integer.toUnsignedLong(address), irql,
                    access, 0, detail + " (at " + Irql.name(irql) + ")");
        }
        return new BugCheck(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, Integer.toUnsignedLong(address), access, 0, 0,
                detail);
    }
}
