package dev.ringzero.api.memory;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The 32-bit system address space: every pool block, lookaside header and driver image has an
 * address here, the value a driver stores in a pointer field and prints with {@code %08X}.
 *
 * <p>Non-paged pool lives from {@link #NON_PAGED_POOL_START}, paged pool from
 * {@link #PAGED_POOL_START}. Resolving an address costs a table lookup, constant time, and yields a
 * segment bounded by the block the address falls in; an address in no live block (wild, freed,
 * never allocated) is a bug check ({@code PAGE_FAULT_IN_NONPAGED_AREA}, 0x50, with the address as
 * Parameter1; at DISPATCH_LEVEL or above {@code DRIVER_IRQL_NOT_LESS_OR_EQUAL}, 0xD1, as is paged pool
 * touched there), never a JVM crash. One instance per host.
 *
 * <p>Accesses through the returned segments are plain (no ordering); lock-free structures use
 * {@link java.lang.invoke.VarHandle}s over them (see {@link SLists}).
 */
@ProviderType
public interface SystemMemory {

    /** The first non-paged pool address. */
    int NON_PAGED_POOL_START = 0x8000_0000;

    /** The first paged pool address. */
    int PAGED_POOL_START = 0xC000_0000;

    /**
     * The live block containing {@code address}, from {@code address} to the block's end.
     *
     * @throws dev.ringzero.api.BugCheck 0x50 when {@code address} is in no live block; 0xD1
     *                                   ({@code DRIVER_IRQL_NOT_LESS_OR_EQUAL}) when it is in paged
     *                                   pool and the caller runs at DISPATCH_LEVEL or above (also for
     *                                   {@link #resolve(int, long)}, {@link #readInt} and {@link #writeInt})
     */
    MemorySegment resolve(int address);

    /**
     * Exactly {@code byteSize} bytes at {@code address}, which must lie within one live block.
     *
     * @throws dev.ringzero.api.BugCheck 0x50 when {@code address} is in no live block, or the range
     *                                   runs past the block's end
     */
    MemorySegment resolve(int address, long byteSize);

    /**
     * The system address of a segment handed out by this address space (or a slice of one).
     *
     * @throws IllegalArgumentException when the segment does not belong to this address space
     */
    int addressOf(MemorySegment segment);

    /** Reads the 32-bit value at {@code address}; 0x50 when it is in no live block. */
    int readInt(int address);

    /** Writes the 32-bit value at {@code address}; 0x50 when it is in no live block. */
    void writeInt(int address, int value);

    /**
     * Reads the 32-bit value at {@code address} without checking that the block is still live: for
     * lock-free algorithms that read a possibly freed entry and then validate the read with a CAS, as
     * NT's S-list pop resumes after a fault. Returns 0 where nothing is mapped.
     */
    int peekInt(int address);

    /** Whether {@code address} lies in a live block. */
    boolean isValid(int address);
}
