package dev.ringzero.api.memory;

import dev.ringzero.api.Owner;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The executive pool as one driver sees it: {@code ExAllocatePoolWithTag} and friends. Every block is
 * owned by {@link #owner()}.
 *
 * <p>Blocks are 16-byte aligned, carry an NT-style header (tag, size, pool type, owner) and are
 * returned as system addresses; {@link #memory()} resolves them to bounded segments. Misuse ends in
 * NT's bug check with NT's parameters ({@code BAD_POOL_CALLER} 0xC2, or
 * {@code DRIVER_VERIFIER_DETECTED_VIOLATION} 0xC4 when the owner is verified):
 * <table>
 *   <caption>Bug checks</caption>
 *   <tr><th>misuse</th><th>0xC2 sub-code</th><th>under the verifier (0xC4)</th></tr>
 *   <tr><td>paged allocation above APC_LEVEL, non-paged above DISPATCH_LEVEL</td><td>0x08</td><td>0x01 / 0x02</td></tr>
 *   <tr><td>free above the same levels</td><td>0x09</td><td>0x11 / 0x12</td></tr>
 *   <tr><td>double free</td><td>0x07</td><td>0x14</td></tr>
 *   <tr><td>tag mismatch in {@code ExFreePoolWithTag}</td><td>0x0A</td><td>0x0A (as 0xC2)</td></tr>
 *   <tr><td>free of an address never allocated</td><td>0x46</td><td>0x10</td></tr>
 *   <tr><td>zero-byte allocation</td><td>0x00</td><td>0x00</td></tr>
 *   <tr><td>tag 0 / {@code ' GIB'} / no letter or digit</td><td>0x9B / 0x9C / 0x9D</td><td>same</td></tr>
 *   <tr><td>freeing another driver's block</td><td>0x0D (owner check)</td><td>same</td></tr>
 * </table>
 */
@ProviderType
public interface PoolAllocator {

    /**
     * {@code ExAllocatePoolWithTag}. Paged pool at IRQL &le; APC_LEVEL, non-paged &le; DISPATCH_LEVEL.
     *
     * @param poolType       {@link PoolType} value, optionally with pool flags
     * @param numberOfBytes  the size asked for; the block's segment is bounded to exactly this many bytes
     * @param tag            the tag, as the C literal's value ({@link PoolTag#of(String)})
     * @return the block's system address, or {@code 0} (NULL) when the pool is exhausted
     * @throws dev.ringzero.api.NtStatusException {@code STATUS_INSUFFICIENT_RESOURCES} instead of NULL
     *         when {@code poolType} has {@link PoolType#POOL_RAISE_IF_ALLOCATION_FAILURE}
     */
    int ExAllocatePoolWithTag(int poolType, long numberOfBytes, int tag);

    /** {@code ExAllocatePool}: {@link #ExAllocatePoolWithTag} with the tag {@link PoolTag#NONE}. */
    default int ExAllocatePool(int poolType, long numberOfBytes) {
        return ExAllocatePoolWithTag(poolType, numberOfBytes, PoolTag.NONE);
    }

    /**
     * {@code ExFreePoolWithTag}: frees a block; {@code tag} 0 skips the tag check.
     * Paged at IRQL &le; APC_LEVEL, non-paged &le; DISPATCH_LEVEL.
     */
    void ExFreePoolWithTag(int address, int tag);

    /** {@code ExFreePool}: {@code ExFreePoolWithTag(address, 0)}. */
    default void ExFreePool(int address) {
        ExFreePoolWithTag(address, 0);
    }

    /**
     * {@code ExQueryPoolBlockSize}: the size of the block at {@code address}. A small block (up to
     * {@code POOL_MAX_ALLOC}, 4080 bytes) reports the bytes asked for; a page-aligned block reports
     * whole pages, as NT's big-page table does ({@code ExQueryPoolBlockSize} of a
     * {@code PAGE_SIZE + 1} request is {@code 2 * PAGE_SIZE}). The block's segments stay bounded to
     * the bytes asked for either way.
     */
    long ExQueryPoolBlockSize(int address);

    /** The address space the blocks live in. */
    SystemMemory memory();

    /** Who owns the blocks this view allocates. */
    Owner owner();

    /** Whether the Driver Verifier checks this owner (0xC4 bug checks, leak checks at unload, no lookaside caching). */
    boolean isVerified();
}
