package dev.ringzero.pool;

import static dev.ringzero.api.BugCheckCode.BAD_POOL_CALLER;
import static dev.ringzero.api.BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Irql;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.PoolType;

/**
 * The pool's bug checks, with NT's codes and parameters ({@code BAD_POOL_CALLER} 0xC2, or
 * {@code DRIVER_VERIFIER_DETECTED_VIOLATION} 0xC4 when the caller is verified). Each message names the
 * routine, every operand and what was wrong with it.
 */
final class PoolBugChecks {

    /** 0xC2 sub-codes. */
    static final int ZERO_SIZE = 0x00;
    static final int DOUBLE_FREE = 0x07;
    static final int ALLOC_IRQL = 0x08;
    static final int FREE_IRQL = 0x09;
    static final int TAG_MISMATCH = 0x0A;
    static final int WRONG_OWNER = 0x0D;
    static final int INVALID_ADDRESS = 0x46;
    static final int MUST_SUCCEED = 0x9A;
    static final int ZERO_TAG = 0x9B;
    static final int BIG_TAG = 0x9C;
    static final int UNPRINTABLE_TAG = 0x9D;

    /** 0xC4 sub-codes. */
    static final int VERIFIER_ZERO_SIZE = 0x00;
    static final int VERIFIER_PAGED_ALLOC_IRQL = 0x01;
    static final int VERIFIER_NONPAGED_ALLOC_IRQL = 0x02;
    static final int VERIFIER_NEVER_ALLOCATED = 0x10;
    static final int VERIFIER_PAGED_FREE_IRQL = 0x11;
    static final int VERIFIER_NONPAGED_FREE_IRQL = 0x12;
    static final int VERIFIER_DOUBLE_FREE = 0x14;
    static final int VERIFIER_LOOKASIDE_FREED = 0xCC;

    /** The tag {@code ' GIB'} (displays "BIG "), which NT reserves for its big-page table. */
    static final int BIG_POOL_TAG = PoolTag.of(" GIB");

    private PoolBugChecks() {
    }

    static BugCheck allocIrql(boolean verified, int irql, int poolType, long bytes) {
        String detail = String.format("ExAllocatePoolWithTag(PoolType=%s, NumberOfBytes=%d) at IRQL %s: %s allows at most %s",
                PoolType.describe(poolType), bytes, Irql.name(irql), PoolType.baseName(poolType),
                PoolType.isPaged(poolType) ? "APC_LEVEL" : "DISPATCH_LEVEL");
        if (verified) {
            int sub = PoolType.isPaged(poolType) ? VERIFIER_PAGED_ALLOC_IRQL : VERIFIER_NONPAGED_ALLOC_IRQL;
            return new BugCheck(DRIVER_VERIFIER_DETECTED_VIOLATION, sub, irql, poolType, bytes, detail);
        }
        return new BugCheck(BAD_POOL_CALLER, ALLOC_IRQL, irql, poolType, bytes, detail);
    }

    static BugCheck freeIrql(boolean verified, int irql, int poolType, int address) {
        String detail = String.format("ExFreePoolWithTag(P=%08X) of %s at IRQL %s: %s allows at most %s", address,
                PoolType.baseName(poolType), Irql.name(irql), PoolType.baseName(poolType),
                PoolType.isPaged(poolType) ? "APC_LEVEL" : "DISPATCH_LEVEL");
        if (verified) {
            int sub = PoolType.isPaged(poolType) ? VERIFIER_PAGED_FREE_IRQL : VERIFIER_NONPAGED_FREE_IRQL;
            return new BugCheck(DRIVER_VERIFIER_DETECTED_VIOLATION, sub, irql, poolType, u(address), detail);
        }
        return new BugCheck(BAD_POOL_CALLER, FREE_IRQL, irql, poolType, u(address), detail);
    }

    static BugCheck zeroSize(boolean verified, int irql, int poolType, int tag) {
        String detail = String.format("ExAllocatePoolWithTag(PoolType=%s, NumberOfBytes=0, Tag='%s'): zero-byte allocation",
                PoolType.describe(poolType), PoolTag.toString(tag));
        if (verified) {
            return new BugCheck(DRIVER_VERIFIER_DETECTED_VIOLATION, VERIFIER_ZERO_SIZE, irql, poolType, 0, detail);
        }
        return new BugCheck(BAD_POOL_CALLER, ZERO_SIZE, 0, poolType, u(tag), detail);
    }

    static BugCheck mustSucceed(int poolType, long bytes, int tag) {
        return new BugCheck(BAD_POOL_CALLER, MUST_SUCCEED, poolType, bytes, u(tag), String.format(
                "ExAllocatePoolWithTag(PoolType=%s, NumberOfBytes=%d, Tag='%s'): must-succeed pool is no longer supported",
                PoolType.describe(poolType), bytes, PoolTag.toString(tag)));
    }

    static BugCheck badTag(int poolType, long bytes, int tag) {
        String call = String.format("ExAllocatePoolWithTag(PoolType=%s, NumberOfBytes=%d, Tag=0x%08X '%s')",
                PoolType.describe(poolType), bytes, tag, PoolTag.toString(tag));
        if ((tag & ~PoolTag.PROTECTED_POOL) == 0) {
            return new BugCheck(BAD_POOL_CALLER, ZERO_TAG, poolType, bytes, 0, call + ": a tag of zero cannot be tracked");
        }
        if (PoolTag.matches(tag, BIG_POOL_TAG)) {
            return new BugCheck(BAD_POOL_CALLER, BIG_TAG, poolType, bytes, 0, call + ": the tag ' GIB' is reserved");
        }
        return new BugCheck(BAD_POOL_CALLER, UNPRINTABLE_TAG, u(tag), poolType, 0,
                call + ": the tag has no letter or digit");
    }

    static BugCheck neverAllocated(boolean verified, String routine, int address) {
        String detail = String.format("%s(P=%08X): not the start of a block this pool allocated", routine, address);
        if (verified) {
            return new BugCheck(DRIVER_VERIFIER_DETECTED_VIOLATION, VERIFIER_NEVER_ALLOCATED, u(address), 0, 0, detail);
        }
        return new BugCheck(BAD_POOL_CALLER, INVALID_ADDRESS, u(address), 0, 0, detail);
    }

    /**
     * @param headerAddress where the block's header is (the block itself when the header lives in
     *                      the big-page table)
     * @param headerContents the header's first word (NumberOfBytes; PoolType 0 = free)
     */
    static BugCheck doubleFree(boolean verified, int address, int headerAddress, long headerContents) {
        String detail = String.format("ExFreePoolWithTag(P=%08X): the block (%d bytes) is already free", address,
                PoolHeader.numberOfBytes(headerContents));
        if (verified) {
            return new BugCheck(DRIVER_VERIFIER_DETECTED_VIOLATION, VERIFIER_DOUBLE_FREE, 0, u(headerAddress),
                    headerContents, detail);
        }
        return new BugCheck(BAD_POOL_CALLER, DOUBLE_FREE, 0, headerContents, u(address), detail);
    }

    static BugCheck tagMismatch(int address, int allocatorTag, int freeTag) {
        return new BugCheck(BAD_POOL_CALLER, TAG_MISMATCH, u(address), u(allocatorTag), u(freeTag), String.format(
                "ExFreePoolWithTag(P=%08X, Tag='%s'): the block was allocated with tag '%s'", address,
                PoolTag.toString(freeTag), PoolTag.toString(allocatorTag)));
    }

    static BugCheck wrongOwner(int address, int tag, Owner blockOwner, Owner caller) {
        return new BugCheck(BAD_POOL_CALLER, WRONG_OWNER, u(address), u(tag), blockOwner.instance(), String.format(
                "ExFreePoolWithTag(P=%08X) by %s: the block (tag '%s') belongs to %s; it stays allocated", address, caller,
                PoolTag.toString(tag), blockOwner));
    }

    static BugCheck lookasideFreed(int lookaside, int address, long size) {
        return new BugCheck(DRIVER_VERIFIER_DETECTED_VIOLATION, VERIFIER_LOOKASIDE_FREED, u(lookaside), u(address), size,
                String.format("ExFreePoolWithTag(P=%08X, %d bytes): the block holds the live lookaside list at %08X;"
                        + " delete the list first", address, size, lookaside));
    }

    static long u(int value) {
        return Integer.toUnsignedLong(value);
    }
}
