package dev.ringzero.api.memory;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.NtStatusException;
import dev.ringzero.api.Owner;
import java.util.Arrays;
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
 *   <tr><td>freeing another driver's block (Ringzero's own sub-code: NT keeps no owners; P2 the block, P3 its
 *   tag, P4 the owner's {@code Owner.instance})</td><td>0x0D</td><td>same</td></tr>
 * </table>
 *
 * <h2>The modern calls</h2>
 * {@link #ExAllocatePool2} and {@link #ExAllocatePool3} (Windows 10, version 2004) take
 * {@link PoolFlags POOL_FLAGS} instead of a pool type, zero the block unless asked not to, and fail
 * — NULL, or {@code STATUS_INVALID_PARAMETER} raised with {@link PoolFlags#POOL_FLAG_RAISE_ON_FAILURE} —
 * on a tag of zero or flags the pool cannot satisfy, where the old calls bug-check. They are written
 * here once, over {@link #ExAllocatePoolWithTag} and {@link #ExAllocatePoolWithTagPriority}, so every
 * pool applies NT's rules the same way; a block they return is an ordinary block (the same header,
 * accounting, special pool, verifier checks and {@code !poolused} row) and any of the free calls frees it.
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

    /**
     * {@code ExAllocatePoolWithTagPriority}: {@link #ExAllocatePoolWithTag} that may fail early when the
     * pool runs low, as {@link PoolPriority} describes, and that serves the block from special pool when
     * the priority asks for it ({@code ...SpecialPoolOverrun}: the block ends at its page's end;
     * {@code ...SpecialPoolUnderrun}: it starts at its page's start), from the normal pool when special
     * pool cannot serve it. The priority's bits are taken as NT takes them, without a check.
     *
     * @return the block's system address, or {@code 0} (NULL) when the pool is exhausted or the priority
     *         keeps the request back
     * @throws NtStatusException {@code STATUS_INSUFFICIENT_RESOURCES} instead of NULL when
     *         {@code poolType} has {@link PoolType#POOL_RAISE_IF_ALLOCATION_FAILURE}
     * @since 1.2
     */
    int ExAllocatePoolWithTagPriority(int poolType, long numberOfBytes, int tag, int priority);

    /**
     * {@code ExAllocatePool2}: a block of the pool {@code flags} names (exactly one of
     * {@link PoolFlags#POOL_FLAG_NON_PAGED}, {@link PoolFlags#POOL_FLAG_NON_PAGED_EXECUTE},
     * {@link PoolFlags#POOL_FLAG_PAGED}), zeroed unless {@link PoolFlags#POOL_FLAG_UNINITIALIZED}.
     * Paged pool at IRQL &le; APC_LEVEL, non-paged &le; DISPATCH_LEVEL (the same bug checks as
     * {@link #ExAllocatePoolWithTag}, as are a zero size and a tag without a letter or digit).
     *
     * @param flags          {@link PoolFlags POOL_FLAGS}: required flags in the low 32 bits, optional ones
     *                       ({@link PoolFlags#POOL_FLAG_SPECIAL_POOL}) in the high 32
     * @param numberOfBytes  the size asked for; the block's segment is bounded to exactly this many bytes
     * @param tag            the tag; 0 is invalid
     * @return the block's system address, or {@code 0} (NULL) when the pool is exhausted, the tag is 0 or
     *         the flags cannot be satisfied (a reserved or unknown required flag, not exactly one pool)
     * @throws NtStatusException with {@link PoolFlags#POOL_FLAG_RAISE_ON_FAILURE}, instead of NULL:
     *         {@code STATUS_INSUFFICIENT_RESOURCES} when the pool is exhausted,
     *         {@code STATUS_INVALID_PARAMETER} for a tag of 0 or flags it cannot satisfy
     * @since 1.2
     */
    default int ExAllocatePool2(long flags, long numberOfBytes, int tag) {
        return allocateWithFlags("ExAllocatePool2", flags, numberOfBytes, tag, PoolPriority.HighPoolPriority);
    }

    /**
     * {@code ExAllocatePool3}: {@link #ExAllocatePool2} with extended parameters. A
     * {@link PoolExtendedParameter#PoolExtendedParameterPriority priority} makes the request one of
     * {@link #ExAllocatePoolWithTagPriority}'s; a {@link PoolExtendedParameter#PoolExtendedParameterNumaNode
     * preferred node} is satisfied by node 0 or {@link PoolExtendedParameter#MM_ANY_NODE_OK}, for
     * {@link PoolFlags#POOL_FLAG_NON_PAGED} only. A required parameter that is not recognized or cannot be
     * satisfied (an invalid type, a secure-pool parameter, a priority that is not an {@code EX_POOL_PRIORITY},
     * another node) fails the allocation like invalid flags do; an optional one is ignored.
     *
     * @param extendedParameters      the parameters; may be {@code null} when the count is 0
     * @param extendedParametersCount how many of them to read
     * @since 1.2
     */
    default int ExAllocatePool3(long flags, long numberOfBytes, int tag, PoolExtendedParameter[] extendedParameters,
                                int extendedParametersCount) {
        int priority = PoolPriority.HighPoolPriority;
        String problem = null;
        if (extendedParametersCount < 0 || extendedParametersCount > 0
                && (extendedParameters == null || extendedParametersCount > extendedParameters.length)) {
            problem = String.format("ExtendedParametersCount=%d with %s", extendedParametersCount,
                    extendedParameters == null ? "ExtendedParameters=NULL" : extendedParameters.length + " parameters");
        }
        for (int i = 0; problem == null && i < extendedParametersCount; i++) {
            PoolExtendedParameter p = extendedParameters[i];
            if (p == null) {
                problem = "ExtendedParameters[" + i + "] is NULL";
                continue;
            }
            String cannot = switch (p.type()) {
                case PoolExtendedParameter.PoolExtendedParameterPriority ->
                        p.value() == (int) p.value() && PoolPriority.isValid((int) p.value()) ? null
                                : "Priority " + p.value() + " is not an EX_POOL_PRIORITY value";
                case PoolExtendedParameter.PoolExtendedParameterNumaNode -> nodeProblem(flags, p.value());
                case PoolExtendedParameter.PoolExtendedParameterSecurePool -> "there are no secure pools here";
                default -> "type " + p.type() + " is not a POOL_EXTENDED_PARAMETER_TYPE the pool recognizes";
            };
            if (cannot == null && p.type() == PoolExtendedParameter.PoolExtendedParameterPriority) {
                priority = (int) p.value();
            } else if (cannot != null && !p.optional()) {
                problem = "required ExtendedParameters[" + i + "] " + p + ": " + cannot;
            }
        }
        if (problem != null) {
            return refuse("ExAllocatePool3", flags, numberOfBytes, tag, problem);
        }
        return allocateWithFlags("ExAllocatePool3", flags, numberOfBytes, tag, priority);
    }

    /**
     * {@code ExAllocatePoolZero}: {@link #ExAllocatePoolWithTag}, the block zeroed.
     *
     * @since 1.2
     */
    default int ExAllocatePoolZero(int poolType, long numberOfBytes, int tag) {
        return ExAllocatePoolWithTag(poolType | PoolType.POOL_ZERO_ALLOCATION, numberOfBytes, tag);
    }

    /**
     * {@code ExAllocatePoolUninitialized}: {@link #ExAllocatePoolWithTag}, the block left as it was.
     *
     * @since 1.2
     */
    default int ExAllocatePoolUninitialized(int poolType, long numberOfBytes, int tag) {
        return ExAllocatePoolWithTag(poolType & ~PoolType.POOL_ZERO_ALLOCATION, numberOfBytes, tag);
    }

    /**
     * {@code ExAllocatePoolPriorityZero}: {@link #ExAllocatePoolWithTagPriority}, the block zeroed.
     *
     * @since 1.2
     */
    default int ExAllocatePoolPriorityZero(int poolType, long numberOfBytes, int tag, int priority) {
        return ExAllocatePoolWithTagPriority(poolType | PoolType.POOL_ZERO_ALLOCATION, numberOfBytes, tag, priority);
    }

    /** The end of {@link #ExAllocatePool2} and {@link #ExAllocatePool3}, once the extended parameters are read. */
    private int allocateWithFlags(String routine, long flags, long numberOfBytes, int tag, int priority) {
        int poolType = PoolFlags.toPoolType(flags);
        if (tag == 0 || poolType == PoolFlags.INVALID) {
            return refuse(routine, flags, numberOfBytes, tag,
                    tag == 0 ? "a tag of zero is invalid" : PoolFlags.whatIsInvalid(flags));
        }
        if ((flags & PoolFlags.POOL_FLAG_SPECIAL_POOL) != 0) {
            priority |= PoolPriority.SPECIAL_POOL_BIT;
        }
        return priority == PoolPriority.HighPoolPriority ? ExAllocatePoolWithTag(poolType, numberOfBytes, tag)
                : ExAllocatePoolWithTagPriority(poolType, numberOfBytes, tag, priority);
    }

    /** Why {@code ExAllocatePool3} cannot satisfy a preferred-node parameter; null when it can. */
    private static String nodeProblem(long flags, long requirement) {
        if ((flags & PoolFlags.POOL_SELECTION) != PoolFlags.POOL_FLAG_NON_PAGED) {
            return "a preferred node applies to POOL_FLAG_NON_PAGED only";
        }
        if ((requirement & ~0xFFFF_FFFFL) != 0) {
            return "not a POOL_NODE_REQUIREMENT";
        }
        long node = requirement & ~Integer.toUnsignedLong(PoolExtendedParameter.MM_ANY_NODE_OK);
        boolean anyNodeOk = node != requirement;
        return node == 0 || anyNodeOk ? null : "node " + node + " does not exist (one node here: 0)";
    }

    /** A request the modern calls turn down: NULL, or {@code STATUS_INVALID_PARAMETER} raised if the flags say so. */
    private static int refuse(String routine, long flags, long numberOfBytes, int tag, String why) {
        if ((flags & PoolFlags.POOL_FLAG_RAISE_ON_FAILURE) != 0) {
            throw new NtStatusException(NtStatus.STATUS_INVALID_PARAMETER, String.format(
                    "%s(Flags=%s, NumberOfBytes=%d, Tag=0x%08X '%s'): %s", routine, PoolFlags.describe(flags),
                    numberOfBytes, tag, PoolTag.toString(tag), why));
        }
        return 0;
    }

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
     * {@code ExFreePool2}: {@link #ExFreePoolWithTag} that can also free secure-pool blocks, given their
     * pool in one extended parameter. There are no secure pools here ({@code ExCreatePool}), so an
     * ordinary block is freed with no parameters (a count of 0); any parameter is one NT cannot validate either, and that
     * is a bug check, not a status: {@code BAD_POOL_CALLER} (0xC2) with Parameter1 0x46, the
     * address as Parameter2 (Windows documents no sub-code for this case).
     *
     * @since 1.2
     */
    default void ExFreePool2(int address, int tag, PoolExtendedParameter[] extendedParameters,
                             int extendedParametersCount) {
        if (extendedParametersCount != 0) {
            throw new BugCheck(BugCheckCode.BAD_POOL_CALLER, 0x46, Integer.toUnsignedLong(address), 0, 0, String.format(
                    "ExFreePool2(P=%08X, Tag='%s', ExtendedParameters=%s, ExtendedParametersCount=%d): an ordinary block"
                            + " is freed with no extended parameters, and there are no secure pools here; the block stays"
                            + " allocated", address, PoolTag.toString(tag),
                    extendedParameters == null ? "NULL" : Arrays.toString(extendedParameters),
                    extendedParametersCount));
        }
        ExFreePoolWithTag(address, tag);
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
