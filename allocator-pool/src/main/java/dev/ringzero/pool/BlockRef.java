package dev.ringzero.pool;

/**
 * A block found by address, for the slow paths and the debugger's views: its chunk and its first byte.
 * Its header words are the chunk's to read and write ({@link Chunk}), wherever that kind keeps them.
 */
record BlockRef(Chunk chunk, int address) {

    long word0() {
        return chunk.word0(address);
    }

    long word1() {
        return chunk.word1(address);
    }

    void setWord0(long w0) {
        chunk.setWord0(address, w0);
    }

    /** What {@code ExQueryPoolBlockSize} reports: the bytes asked for, or whole pages for a page-aligned block. */
    long blockSize() {
        return chunk.blockSize(address);
    }
}
