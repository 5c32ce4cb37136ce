package dev.ringzero.host.kd;

import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads the system address space for the debugger without ever bug-checking: the bytes of live blocks, and
 * nothing for an address no live block holds (a free block, a header, an unused page), which the displays
 * show as {@code ??}, as WinDbg shows memory it cannot read. Ringzero resolves only live blocks, so a freed
 * block's old contents are not shown.
 */
public final class MemoryReader {

    /** Bytes read, and which of them could be. */
    public record Bytes(int address, byte[] values, boolean[] readable) {

        public boolean readable(int index, int width) {
            for (int i = index; i < index + width; i++) {
                if (i >= readable.length || !readable[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The little-endian value of {@code width} bytes at {@code index} (check {@link #readable} first). */
        public long value(int index, int width) {
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = (v << 8) | (values[index + i] & 0xFF);
            }
            return v;
        }

        public boolean anyReadable() {
            for (boolean b : readable) {
                if (b) {
                    return true;
                }
            }
            return false;
        }
    }

    private final SystemMemory memory;

    public MemoryReader(SystemMemory memory) {
        this.memory = memory;
    }

    /** {@code count} bytes from {@code address}; the address space wraps at 4 GiB. */
    public Bytes read(int address, int count) {
        byte[] values = new byte[count];
        boolean[] readable = new boolean[count];
        int i = 0;
        while (i < count) {
            int a = address + i;
            MemorySegment block = liveBlockFrom(a);
            if (block == null) {
                i++;
                continue;
            }
            int n = (int) Math.min(block.byteSize(), count - i);
            MemorySegment.copy(block, ValueLayout.JAVA_BYTE, 0, values, i, n);
            for (int k = i; k < i + n; k++) {
                readable[k] = true;
            }
            i += n;
        }
        return new Bytes(address, values, readable);
    }

    /** Whether {@code address} lies in a live block. */
    public boolean isReadable(int address) {
        return memory.isValid(address);
    }

    /** The 32-bit value at {@code address}, or {@code null} when no live block holds all four bytes. */
    public Integer readInt(int address) {
        Bytes b = read(address, 4);
        return b.readable(0, 4) ? (int) b.value(0, 4) : null;
    }

    private MemorySegment liveBlockFrom(int address) {
        if (!memory.isValid(address)) {
            return null;
        }
        try {
            return memory.resolve(address);
        } catch (RuntimeException freedMeanwhile) { // a bug check, or a special-pool arena closed under us
            return null;
        }
    }
}
