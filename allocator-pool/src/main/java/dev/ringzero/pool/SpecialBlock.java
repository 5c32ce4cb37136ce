package dev.ringzero.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One special-pool block: its own shared arena, closed at free, so any later access through a
 * segment the driver kept fails at the access ({@code IllegalStateException: Already closed}, bug
 * check 0xD5), and a segment bounded exactly to the bytes asked for, so an overrun fails too (0xD6
 * through {@link ExecutivePoolComponent#translateFault}).
 */
final class SpecialBlock {

    final SpecialChunk chunk;
    final int address;
    /** The first page of the block's run (index in the chunk) and the run's length, guard page included. */
    final int firstPage;
    final int runPages;
    final Arena arena;
    final MemorySegment segment;
    final long nativeBase;
    /** Header words (see {@link PoolHeader}); read and written by {@link SpecialChunk} alone. */
    long word0;
    long word1;
    volatile boolean freed;

    SpecialBlock(SpecialChunk chunk, int address, int firstPage, int runPages, Arena arena, MemorySegment segment) {
        this.chunk = chunk;
        this.address = address;
        this.firstPage = firstPage;
        this.runPages = runPages;
        this.arena = arena;
        this.segment = segment;
        this.nativeBase = segment.address();
    }

    long size() {
        return segment.byteSize();
    }
}
