package dev.ringzero.lookaside;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.Owner;

/**
 * The registry's bug checks for a driver's misuse of its lists, the same whatever implementation serves them
 * (the table in {@link LookasideView}'s comment): NT's verifier codes for a verified owner, what an unchecked kernel
 * would hit otherwise.
 */
final class LookasideBugChecks {

    private LookasideBugChecks() {
    }

    static BugCheck forgottenDelete(RegisteredList l, String when) {
        return new BugCheck(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
                Integer.toUnsignedLong(l.address), 0, 0, 0, String.format(
                "the %s lookaside list at %08X initialized by %s is still registered, but its header's memory was "
                        + "freed without %s (%s)", l.implementation(), l.address, l.owner, l.kind.delete(), when));
    }

    static BugCheck reinitialized(RegisteredList existing, RegisteredList list, boolean verified) {
        String what = String.format("%s(%08X): the header holds a live %s lookaside list initialized by %s and "
                        + "never deleted", list.kind.initialize(), list.address, existing.implementation(), existing.owner);
        return verified
                ? new BugCheck(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, 0xCA, Integer.toUnsignedLong(list.address),
                0, 0, what)
                : new BugCheck(BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE, 3, 0, 0, 0,
                what + "; re-inserting its ListEntry would corrupt the system lookaside list");
    }

    static BugCheck deleteUnknown(String routine, int address, RegisteredList l, Owner caller, boolean verified,
                                  String fate) {
        String what = l != null
                ? String.format("%s(%08X): the lookaside list there belongs to %s, not %s", routine, address, l.owner, caller)
                : String.format("%s(%08X): no live lookaside list there (%s)", routine, address, fate);
        return verified
                ? new BugCheck(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, 0xCB, Integer.toUnsignedLong(address),
                0, 0, what)
                : new BugCheck(BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE, 3, 0, 0, 0,
                what + "; its ListEntry is not on the system lookaside list");
    }
}
