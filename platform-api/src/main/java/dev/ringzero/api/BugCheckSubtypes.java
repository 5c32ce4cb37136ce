package dev.ringzero.api;

import java.util.List;
import java.util.Map;

/**
 * The sub-codes of the bug checks whose Parameter1 says what went wrong — {@code BAD_POOL_CALLER}
 * (0xC2) and {@code DRIVER_VERIFIER_DETECTED_VIOLATION} (0xC4) — for the sub-codes Ringzero raises, with
 * what Parameter2..4 hold for each, as the Windows debugger documentation's bug-check pages give them
 * (restated; {@code docs/debugger.md} cites them). Where NT leaves a parameter to the caller's return
 * address, which Java has no number for, Ringzero passes 0 and says so.
 *
 * <p>{@code 0xC2}/{@code 0x0D} is Ringzero's own: NT keeps no owner in a pool block, so it cannot tell a
 * driver that frees another driver's block. Ringzero can, and stops there with a sub-code NT does not use.
 */
final class BugCheckSubtypes {

    /** One sub-code: what it means, and what Parameter1..4 hold. */
    record Subtype(String meaning, List<String> parameters) {
    }

    private static final String NO_SITE = "caller's address (0: Ringzero has no code addresses)";

    private static final Map<Long, Subtype> BAD_POOL_CALLER = Map.ofEntries(
            sub(0x00, "the caller asked for zero bytes", "reserved (0)", "pool type", "pool tag"),
            sub(0x07, "the caller freed a block that was already free", "reserved (0)", "pool header contents (word 0)",
                    "address of the block"),
            sub(0x08, "the caller allocated at an IRQL too high for the pool type", "current IRQL", "pool type",
                    "size of the allocation"),
            sub(0x09, "the caller freed at an IRQL too high for the pool type", "current IRQL", "pool type",
                    "address of the block"),
            sub(0x0A, "the caller freed a block with a tag other than its own", "address of the block",
                    "tag the block was allocated with", "tag the caller freed it with"),
            sub(0x0D, "the caller freed a block another driver owns (Ringzero's own sub-code: NT keeps no pool owners)",
                    "address of the block", "the block's tag", "load instance of the driver that owns the block"
                            + " (Owner.instance, shown as NAME#instance)"),
            sub(0x46, "the caller freed an address that is not the start of a pool block", "address freed", "reserved (0)",
                    "reserved (0)"),
            sub(0x9A, "the caller asked for must-succeed pool, which is no longer supported", "pool type",
                    "size of the allocation", "pool tag"),
            sub(0x9B, "the caller allocated with a tag of zero", "pool type", "size of the allocation", NO_SITE),
            sub(0x9C, "the caller allocated with the reserved tag ' GIB'", "pool type", "size of the allocation", NO_SITE),
            sub(0x9D, "the caller allocated with a tag that has no letter or digit", "the tag", "pool type", NO_SITE));

    private static final Map<Long, Subtype> VERIFIER = Map.ofEntries(
            sub(0x00, "the driver asked for zero bytes", "current IRQL", "pool type", "size of the allocation (0)"),
            sub(0x01, "the driver allocated paged pool above APC_LEVEL", "current IRQL", "pool type",
                    "size of the allocation"),
            sub(0x02, "the driver allocated non-paged pool above DISPATCH_LEVEL", "current IRQL", "pool type",
                    "size of the allocation"),
            sub(0x10, "the driver freed an address no allocation returned", "address freed", "reserved (0)",
                    "reserved (0)"),
            sub(0x11, "the driver freed paged pool above APC_LEVEL", "current IRQL", "pool type", "address of the block"),
            sub(0x12, "the driver freed non-paged pool above DISPATCH_LEVEL", "current IRQL", "pool type",
                    "address of the block"),
            sub(0x14, "the driver freed a block that was already free", "reserved (0)", "address of the pool header",
                    "pool header contents (word 0)"),
            sub(0x62, "the driver unloaded without freeing its pool", "driver name (0: the report names the driver)",
                    "reserved (0)", "blocks not freed"),
            sub(0xCA, "the driver initialized a lookaside list that is already live", "address of the lookaside list",
                    "reserved (0)", "reserved (0)"),
            sub(0xCB, "the driver deleted a lookaside list that is not live (or not its own)",
                    "address of the lookaside list", "reserved (0)", "reserved (0)"),
            sub(0xCC, "the driver freed a block that holds a live lookaside list", "address of the lookaside list",
                    "address of the block", "size of the block"),
            sub(0xCD, "the driver initialized a lookaside list with an entry size below LOOKASIDE_MINIMUM_BLOCK_SIZE",
                    "address of the lookaside list", "entry size asked for", "LOOKASIDE_MINIMUM_BLOCK_SIZE"));

    private BugCheckSubtypes() {
    }

    /** The sub-code {@code parameter1} of bug-check {@code code}, or {@code null} when there is none. */
    static Subtype of(int code, long parameter1) {
        return switch (code) {
            case 0xC2 -> BAD_POOL_CALLER.get(parameter1);
            case 0xC4 -> VERIFIER.get(parameter1);
            default -> null;
        };
    }

    private static Map.Entry<Long, Subtype> sub(long code, String meaning, String p2, String p3, String p4) {
        return Map.entry(code, new Subtype(meaning, List.of("violation type: " + meaning, p2, p3, p4)));
    }
}
