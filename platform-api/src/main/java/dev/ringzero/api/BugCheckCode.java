package dev.ringzero.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bug-check codes Ringzero raises, with NT's names and what the four parameters mean (from the
 * Windows debugger documentation's bug-check reference pages).
 *
 * @param code        the stop code, e.g. {@code 0xC2}
 * @param name        NT's symbolic name, e.g. {@code BAD_POOL_CALLER}
 * @param parameters  what Parameter1..Parameter4 hold in general; for a code whose Parameter1 is a
 *                    sub-code ({@code 0xC2}, {@code 0xC4}), {@link #parametersFor} names them for the sub-code
 */
public record BugCheckCode(int code, String name, List<String> parameters) {

    private static final Map<Integer, BugCheckCode> KNOWN = new TreeMap<>();

    public static final BugCheckCode IRQL_NOT_GREATER_OR_EQUAL = known(0x09, "IRQL_NOT_GREATER_OR_EQUAL",
            "current IRQL", "requested IRQL", "reserved", "reserved");
    public static final BugCheckCode IRQL_NOT_LESS_OR_EQUAL = known(0x0A, "IRQL_NOT_LESS_OR_EQUAL",
            "memory referenced", "IRQL at time of reference", "access (0 read, 1 write, 8 execute)", "address that referenced memory");
    public static final BugCheckCode BAD_POOL_HEADER = known(0x19, "BAD_POOL_HEADER",
            "problem type", "depends on type", "depends on type", "depends on type");
    public static final BugCheckCode MUST_SUCCEED_POOL_EMPTY = known(0x41, "MUST_SUCCEED_POOL_EMPTY",
            "size requested", "pages used", "requests for more than a page", "pages available");
    public static final BugCheckCode PAGE_FAULT_IN_NONPAGED_AREA = known(0x50, "PAGE_FAULT_IN_NONPAGED_AREA",
            "memory referenced", "access (0 read, 1 write)", "address that referenced memory", "reserved");
    public static final BugCheckCode SYSTEM_THREAD_EXCEPTION_NOT_HANDLED = known(0x7E, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED",
            "exception code", "address of the exception", "exception record", "context record");
    /** A trap kernel mode may not take; Parameter1 8 is a double fault, what a kernel stack overflow ends in. */
    public static final BugCheckCode UNEXPECTED_KERNEL_MODE_TRAP = known(0x7F, "UNEXPECTED_KERNEL_MODE_TRAP",
            "trap number (8: double fault)", "reserved", "reserved", "reserved");
    public static final BugCheckCode BAD_POOL_CALLER = known(0xC2, "BAD_POOL_CALLER",
            "violation type", "depends on type", "depends on type", "depends on type");
    public static final BugCheckCode DRIVER_VERIFIER_DETECTED_VIOLATION = known(0xC4, "DRIVER_VERIFIER_DETECTED_VIOLATION",
            "violation type", "depends on type", "depends on type", "depends on type");
    public static final BugCheckCode TIMER_OR_DPC_INVALID = known(0xC7, "TIMER_OR_DPC_INVALID",
            "object type", "object address", "start of checked range", "end of checked range");
    public static final BugCheckCode DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS = known(0xCE,
            "DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS",
            "memory referenced", "access (0 read, 1 write)", "address that referenced memory", "reserved");
    public static final BugCheckCode DRIVER_IRQL_NOT_LESS_OR_EQUAL = known(0xD1, "DRIVER_IRQL_NOT_LESS_OR_EQUAL",
            "memory referenced", "IRQL at time of reference", "access (0 read, 1 write, 8 execute)", "address that referenced memory");
    public static final BugCheckCode DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL = known(0xD5,
            "DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL",
            "memory referenced", "access (0 read, 1 write)", "address that referenced memory", "reserved");
    public static final BugCheckCode DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION = known(0xD6,
            "DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION",
            "memory referenced", "access (0 read, 1 write)", "address that referenced memory", "reserved");
    /**
     * 0xF4: NT stops when a process or thread crucial to the system ends. The host's JVM is that process:
     * a driver calling {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt} gets this stop
     * instead of ending it. NT's Parameter2..4 (the terminating object, the image name, a message) have
     * no meaning here; Ringzero puts the exit status and which routine was called in their place.
     */
    public static final BugCheckCode CRITICAL_OBJECT_TERMINATION = known(0xF4, "CRITICAL_OBJECT_TERMINATION",
            "object type (3: process, 6: thread)", "exit status", "routine (0: Runtime.exit, 1: Runtime.halt)", "reserved");
    public static final BugCheckCode KERNEL_SECURITY_CHECK_FAILURE = known(0x139, "KERNEL_SECURITY_CHECK_FAILURE",
            "fast-fail code (3: corrupted LIST_ENTRY)", "trap frame", "exception record", "reserved");

    private static BugCheckCode known(int code, String name, String... parameters) {
        BugCheckCode c = new BugCheckCode(code, name, List.of(parameters));
        KNOWN.put(code, c);
        return c;
    }

    /** The entry for {@code code}; an unknown code gets a placeholder name {@code BUGCHECK_0x...}. */
    public static BugCheckCode of(int code) {
        BugCheckCode c = KNOWN.get(code);
        return c != null ? c : new BugCheckCode(code, String.format("BUGCHECK_0x%X", code),
                List.of("parameter 1", "parameter 2", "parameter 3", "parameter 4"));
    }

    /**
     * What Parameter1..Parameter4 mean for a bug check of this code whose Parameter1 is {@code parameter1}:
     * for {@code BAD_POOL_CALLER} (0xC2) and {@code DRIVER_VERIFIER_DETECTED_VIOLATION} (0xC4) the names
     * the sub-code gives them ({@link BugCheckSubtypes}), for the sub-codes Ringzero raises; else
     * {@link #parameters()}.
     *
     * @since 1.2
     */
    public List<String> parametersFor(long parameter1) {
        BugCheckSubtypes.Subtype s = BugCheckSubtypes.of(code, parameter1);
        return s == null ? parameters : s.parameters();
    }

    /**
     * What a sub-code means in words ({@code "the current thread freed pool that was already freed"}), or
     * an empty string when this code has no sub-codes or Ringzero does not raise {@code parameter1}.
     *
     * @since 1.2
     */
    public String subtype(long parameter1) {
        BugCheckSubtypes.Subtype s = BugCheckSubtypes.of(code, parameter1);
        return s == null ? "" : s.meaning();
    }

    /** {@code BAD_POOL_CALLER (0xC2)}. */
    @Override
    public String toString() {
        return String.format("%s (0x%X)", name, code);
    }
}
