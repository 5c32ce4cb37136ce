package dev.ringzero.tck;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Irql;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolType;
import dev.ringzero.api.memory.SystemMemory;
import dev.ringzero.spi.memory.ExecutivePool;
import dev.ringzero.spi.memory.PoolBlockInfo;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small stand-in for the real pool, enough for the lookaside tests: two regions (non-paged from
 * 0x80000000, paged from 0xC0000000) over one shared arena each, bump allocation of 16-byte aligned
 * blocks with exact-size LIFO reuse, a block map, owners, tags, the verifier switch and the lookaside
 * mark. A region's native base is page aligned, so a system address's alignment is its native one.
 * Resolving a freed or wild address is 0x50; freeing twice is 0xC2/0x07; freeing a block that holds a
 * live lookaside list is 0xC4/0xCC when the owner is verified.
 */
public final class TestExecutivePool implements PoolUnderTest, SystemMemory {

    private static final long REGION = 4L << 20;

    private final Arena arena = Arena.ofShared();
    private final Region nonPaged = new Region(NON_PAGED_POOL_START, arena.allocate(REGION, 4096));
    private final Region paged = new Region(PAGED_POOL_START, arena.allocate(REGION, 4096));
    /** Every block ever handed out (live or freed), by unsigned address. */
    private final TreeMap<Long, Block> blocks = new TreeMap<>();
    private final Map<Owner, Boolean> verified = new HashMap<>();
    private boolean verifiedByDefault;
    /** Allocations that will fail (NULL or raise) before the pool succeeds again. */
    private int failures;
    private final Map<Owner, int[]> calls = new HashMap<>(); // {allocations, frees}

    private static final class Region {
        final int base;
        final MemorySegment segment;
        long top;
        final Map<Long, ArrayDeque<Integer>> free = new HashMap<>();

        Region(int base, MemorySegment segment) {
            this.base = base;
            this.segment = segment;
        }

        boolean contains(int address) {
            long off = Integer.toUnsignedLong(address) - Integer.toUnsignedLong(base);
            return off >= 0 && off < REGION;
        }

        long offset(int address) {
            return Integer.toUnsignedLong(address) - Integer.toUnsignedLong(base);
        }
    }

    static final class Block {
        final int address;
        final long size;
        final long rounded;
        final int tag;
        final int type;
        final Owner owner;
        boolean live = true;
        /** The lookaside list headers marked in this block (the block is marked while one is): as the real pool keeps them. */
        final java.util.Set<Integer> marks = new java.util.HashSet<>();

        boolean marked() {
            return !marks.isEmpty();
        }

        Block(int address, long size, long rounded, int tag, int type, Owner owner) {
            this.address = address;
            this.size = size;
            this.rounded = rounded;
            this.tag = tag;
            this.type = type;
            this.owner = owner;
        }

        long end() {
            return Integer.toUnsignedLong(address) + size;
        }
    }

    // ---- test controls

    /** The next {@code n} allocations fail. */
    @Override
    public synchronized void failNextAllocations(int n) {
        failures = n;
    }

    public synchronized int allocations(Owner owner) {
        return calls.getOrDefault(owner, new int[2])[0];
    }

    @Override
    public synchronized int frees(Owner owner) {
        return calls.getOrDefault(owner, new int[2])[1];
    }

    @Override
    public synchronized PoolBlockInfo block(int address) {
        Block b = blocks.get(Integer.toUnsignedLong(address));
        return b != null && b.live ? new PoolBlockInfo(b.address, b.size, b.tag, b.type, b.owner, null) : null;
    }

    @Override
    public void close() {
        arena.close();
    }

    // ---- ExecutivePool

    @Override
    public PoolAllocator forDriver(Owner owner) {
        return new View(owner);
    }

    @Override
    public SystemMemory memory() {
        return this;
    }

    @Override
    public List<PoolTagUsage> usage() {
        return List.of();
    }

    @Override
    public synchronized long bytesInUse() {
        return blocks.values().stream().filter(b -> b.live).mapToLong(b -> b.size).sum();
    }

    @Override
    public synchronized List<PoolBlockInfo> outstanding(Owner owner) {
        return blocks.values().stream().filter(b -> b.live && b.owner.equals(owner))
                .map(b -> new PoolBlockInfo(b.address, b.size, b.tag, b.type, b.owner, null)).toList();
    }

    @Override
    public void revoke(Owner owner) {
        throw new UnsupportedOperationException("the lookaside tests unload no driver");
    }

    @Override
    public synchronized int reclaim(Owner owner) {
        int n = 0;
        for (Block b : new ArrayList<>(blocks.values())) {
            if (b.live && b.owner.equals(owner)) {
                release(b);
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized void setVerified(Owner owner, boolean v) {
        verified.put(owner, v);
    }

    @Override
    public synchronized void setVerifiedByDefault(boolean v) {
        verifiedByDefault = v;
    }

    @Override
    public synchronized boolean isVerified(Owner owner) {
        return verified.getOrDefault(owner, verifiedByDefault);
    }

    @Override
    public void setSpecialPool(Owner owner, boolean special) {
        throw new UnsupportedOperationException("no special pool in the test pool");
    }

    @Override
    public void setSpecialPoolTag(String tagPattern, boolean special) {
        throw new UnsupportedOperationException("no special pool in the test pool");
    }

    @Override
    public List<String> specialPoolTags() {
        return List.of();
    }

    @Override
    public synchronized void setLookasideMark(int address, boolean live) {
        Block b = containing(address);
        if (b == null || !b.live) {
            throw fault(address, "setLookasideMark");
        }
        if (live) {
            b.marks.add(address);
        } else {
            b.marks.remove(address);
        }
    }

    @Override
    public synchronized boolean hasLookasideMark(int address) {
        Block b = containing(address);
        return b != null && b.live && b.marked();
    }

    @Override
    public String renderPoolUsed(PoolUsedSort sort, String tagPattern) {
        return "";
    }

    // ---- SystemMemory

    @Override
    public MemorySegment resolve(int address) {
        Block b = liveBlock(address, "resolve");
        return slice(address, b.end() - Integer.toUnsignedLong(address));
    }

    @Override
    public MemorySegment resolve(int address, long byteSize) {
        Block b = liveBlock(address, "resolve");
        if (Integer.toUnsignedLong(address) + byteSize > b.end()) {
            throw new BugCheck(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, b.end(), 0, 0, 0,
                    String.format("%d bytes at %08X run past the block at %08X (%d bytes)", byteSize, address,
                            b.address, b.size));
        }
        return slice(address, byteSize);
    }

    @Override
    public int addressOf(MemorySegment segment) {
        for (Region r : new Region[] {nonPaged, paged}) {
            long off = segment.address() - r.segment.address();
            if (off >= 0 && off < REGION) {
                return (int) (r.base + off);
            }
        }
        throw new IllegalArgumentException("not a segment of this address space: " + segment);
    }

    @Override
    public int readInt(int address) {
        return resolve(address, 4).get(ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    @Override
    public void writeInt(int address, int value) {
        resolve(address, 4).set(ValueLayout.JAVA_INT_UNALIGNED, 0, value);
    }

    @Override
    public int peekInt(int address) {
        Region r = region(address);
        return r == null ? 0 : r.segment.get(ValueLayout.JAVA_INT_UNALIGNED, r.offset(address));
    }

    @Override
    public synchronized boolean isValid(int address) {
        Block b = containing(address);
        return b != null && b.live;
    }

    // ---- internals

    private MemorySegment slice(int address, long size) {
        Region r = region(address);
        return r.segment.asSlice(r.offset(address), size);
    }

    private Region region(int address) {
        return nonPaged.contains(address) ? nonPaged : paged.contains(address) ? paged : null;
    }

    private synchronized Block liveBlock(int address, String what) {
        Block b = containing(address);
        if (b == null || !b.live) {
            throw fault(address, what);
        }
        return b;
    }

    private Block containing(int address) {
        Map.Entry<Long, Block> e = blocks.floorEntry(Integer.toUnsignedLong(address));
        if (e == null) {
            return null;
        }
        Block b = e.getValue();
        long a = Integer.toUnsignedLong(address);
        return a < Integer.toUnsignedLong(b.address) + Math.max(b.size, 1) ? b : null;
    }

    private static BugCheck fault(int address, String what) {
        return new BugCheck(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, Integer.toUnsignedLong(address), 0, 0, 0,
                String.format("%s: %08X is in no live block", what, address));
    }

    private synchronized int allocate(Owner owner, int type, long size, int tag) {
        int irql = Irql.KeGetCurrentIrql();
        if (irql > (PoolType.isPaged(type) ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL)) {
            throw new BugCheck(BugCheckCode.BAD_POOL_CALLER, 8, irql, type, size, "allocation at IRQL " + irql);
        }
        calls.computeIfAbsent(owner, o -> new int[2])[0]++;
        if (failures > 0) {
            failures--;
            if ((type & PoolType.POOL_RAISE_IF_ALLOCATION_FAILURE) != 0) {
                throw new NtStatusException(NtStatus.STATUS_INSUFFICIENT_RESOURCES, "test pool told to fail");
            }
            return 0;
        }
        Region r = PoolType.isPaged(type) ? paged : nonPaged;
        long rounded = Math.max(16, (size + 15) & ~15L);
        ArrayDeque<Integer> reuse = r.free.get(rounded);
        int address;
        if (reuse != null && !reuse.isEmpty()) {
            address = reuse.pop();
        } else {
            if (r.top + rounded > REGION) {
                return 0;
            }
            address = (int) (r.base + r.top);
            r.top += rounded;
        }
        blocks.put(Integer.toUnsignedLong(address), new Block(address, size, rounded, tag, type, owner));
        return address;
    }

    private synchronized void free(Owner caller, int address) {
        Block b = blocks.get(Integer.toUnsignedLong(address));
        if (b == null || !b.live) {
            throw new BugCheck(BugCheckCode.BAD_POOL_CALLER, 7, 0, 0, Integer.toUnsignedLong(address),
                    String.format("ExFreePool(%08X): not an allocated block", address));
        }
        if (b.marked() && isVerified(caller)) {
            throw new BugCheck(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, 0xCC, Integer.toUnsignedLong(address),
                    Integer.toUnsignedLong(address), b.size,
                    String.format("ExFreePool(%08X): the block holds a live lookaside list", address));
        }
        calls.computeIfAbsent(caller, o -> new int[2])[1]++;
        release(b);
    }

    private void release(Block b) {
        b.live = false;
        b.marks.clear();
        Region r = region(b.address);
        r.free.computeIfAbsent(b.rounded, k -> new ArrayDeque<>()).push(b.address);
    }

    private final class View implements PoolAllocator {

        private final Owner owner;

        View(Owner owner) {
            this.owner = owner;
        }

        @Override
        public int ExAllocatePoolWithTag(int poolType, long numberOfBytes, int tag) {
            return allocate(owner, poolType, numberOfBytes, tag);
        }

        /** This stand-in has no limits, so no priority keeps a request back, and no special pool. */
        @Override
        public int ExAllocatePoolWithTagPriority(int poolType, long numberOfBytes, int tag, int priority) {
            return allocate(owner, poolType, numberOfBytes, tag);
        }

        @Override
        public void ExFreePoolWithTag(int address, int tag) {
            free(owner, address);
        }

        @Override
        public long ExQueryPoolBlockSize(int address) {
            return liveBlock(address, "ExQueryPoolBlockSize").size;
        }

        @Override
        public SystemMemory memory() {
            return TestExecutivePool.this;
        }

        @Override
        public Owner owner() {
            return owner;
        }

        @Override
        public boolean isVerified() {
            return TestExecutivePool.this.isVerified(owner);
        }
    }
}
