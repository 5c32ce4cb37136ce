package dev.ringzero.api;

import java.util.List;
import java.util.Locale;

/**
 * A stop error: what NT's {@code KeBugCheckEx(code, p1, p2, p3, p4)} would do to the machine.
 *
 * <p>In Ringzero a bug check is an exception. It unwinds the faulting driver's call back into the
 * host, which writes a crash report, unloads that driver and keeps running (or halts, with
 * {@code --halt-on-bugcheck}). It is raised for a caller's mistake that NT bug-checks on; a mistake
 * NT merely rejects is an {@link NtStatus}, and a broken invariant of Ringzero itself is an
 * {@link AssertionError} or {@link IllegalStateException}.
 *
 * <p>Parameters are kept as {@code long}s and printed as 32-bit values where they fit, like an x86
 * debugger: {@code BAD_POOL_CALLER (0xC2) (0x00000007, 0x00000000, 0x80001000, 0x80001008)}.
 */
public final class BugCheck extends RuntimeException {

    /** {@code UNEXPECTED_KERNEL_MODE_TRAP}'s Parameter1 for a double fault ({@code EXCEPTION_DOUBLE_FAULT}, trap 8). */
    public static final long DOUBLE_FAULT = 8;

    private final transient BugCheckCode code;
    private final long p1;
    private final long p2;
    private final long p3;
    private final long p4;
    private final String detail;

    /**
     * @param detail what happened in words, naming every operand (shown after the parameters)
     */
    public BugCheck(BugCheckCode code, long p1, long p2, long p3, long p4, String detail) {
        this(code, p1, p2, p3, p4, detail, null);
    }

    public BugCheck(BugCheckCode code, long p1, long p2, long p3, long p4, String detail, Throwable cause) {
        super(format(code, p1, p2, p3, p4, detail), cause);
        this.code = code;
        this.p1 = p1;
        this.p2 = p2;
        this.p3 = p3;
        this.p4 = p4;
        this.detail = detail;
    }

    /** {@code KeBugCheckEx}: raise a bug check; never returns normally. */
    public static BugCheck KeBugCheckEx(BugCheckCode code, long p1, long p2, long p3, long p4, String detail) {
        throw new BugCheck(code, p1, p2, p3, p4, detail);
    }

    public BugCheckCode code() {
        return code;
    }

    public long parameter1() {
        return p1;
    }

    public long parameter2() {
        return p2;
    }

    public long parameter3() {
        return p3;
    }

    public long parameter4() {
        return p4;
    }

    /** The raiser's explanation, or an empty string. */
    public String detail() {
        return detail == null ? "" : detail;
    }

    /**
     * The four parameters with their meanings, one per line: for a code with sub-codes (0xC2, 0xC4) named
     * for this bug check's sub-code ({@link BugCheckCode#parametersFor}), else as
     * {@link BugCheckCode#parameters()} gives them.
     */
    public String describeParameters() {
        StringBuilder sb = new StringBuilder();
        long[] ps = {p1, p2, p3, p4};
        List<String> names = code.parametersFor(p1);
        for (int i = 0; i < 4; i++) {
            sb.append(String.format(Locale.ROOT, "Arg%d: %s, %s%n", i + 1, hex(ps[i]), names.get(i)));
        }
        return sb.toString();
    }

    /**
     * Maps an exception that escaped driver code to the stop code NT would show for the equivalent
     * fault. A bug check stays what it is; an out-of-bounds access to a segment is
     * {@code PAGE_FAULT_IN_NONPAGED_AREA} (0x50); a touch of a closed (freed) segment is
     * {@code DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL} (0xD5), since only special pool closes memory at
     * free; a {@link StackOverflowError} is {@code UNEXPECTED_KERNEL_MODE_TRAP} (0x7F) with Parameter1
     * {@link #DOUBLE_FAULT}, as NT reports a kernel stack overflow (the fault taken while pushing the
     * handler's frame onto the exhausted stack); anything else is {@code SYSTEM_THREAD_EXCEPTION_NOT_HANDLED} (0x7E), with
     * {@code STATUS_ACCESS_VIOLATION} as the exception code for a {@link NullPointerException},
     * {@code STATUS_PRIVILEGED_INSTRUCTION} for a call only the executive may make (see
     * {@link #isPrivilegeRefusal}), the raised status for an {@link NtStatusException}, and
     * {@code STATUS_UNSUCCESSFUL} otherwise.
     */
    public static BugCheck fromDriverFault(Throwable fault) {
        if (fault instanceof BugCheck b) {
            return b;
        }
        String what = fault.getClass().getName() + (fault.getMessage() == null ? "" : ": " + fault.getMessage());
        if (fault instanceof StackOverflowError) {
            return new BugCheck(BugCheckCode.UNEXPECTED_KERNEL_MODE_TRAP, DOUBLE_FAULT, 0, 0, 0,
                    "kernel stack overflow (double fault): " + what, fault);
        }
        if (fault instanceof IndexOutOfBoundsException) {
            return new BugCheck(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, 0, 0, 0, 0,
                    "access outside the bounds of a block: " + what, fault);
        }
        if (fault instanceof IllegalStateException && fault.getMessage() != null
                && fault.getMessage().contains("closed")) {
            return new BugCheck(BugCheckCode.DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL, 0, 0, 0, 0,
                    "access to freed special pool: " + what, fault);
        }
        if (isPrivilegeRefusal(fault)) {
            return new BugCheck(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED,
                    NtStatus.STATUS_PRIVILEGED_INSTRUCTION.value() & 0xFFFF_FFFFL, 0, 0, 0,
                    "privileged instruction in driver code (only the executive may do this): " + what, fault);
        }
        long exceptionCode = switch (fault) {
            case NullPointerException _ -> NtStatus.STATUS_ACCESS_VIOLATION.value();
            case NtStatusException s -> s.status().value();
            default -> NtStatus.STATUS_UNSUCCESSFUL.value();
        };
        return new BugCheck(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, exceptionCode & 0xFFFF_FFFFL, 0, 0, 0,
                "unhandled exception in driver code: " + what, fault);
    }

    /**
     * Whether {@code fault} is the JVM refusing driver code what only the executive may do: a restricted
     * method such as {@code MemorySegment.reinterpret} or {@code Linker.downcallHandle} without native
     * access ({@link IllegalCallerException}), {@code setAccessible} into a module that does not open the
     * package ({@link java.lang.reflect.InaccessibleObjectException}), or {@code sun.misc.Unsafe} memory
     * access when the launcher denies it ({@link UnsupportedOperationException} thrown by
     * {@code sun.misc.Unsafe} itself).
     */
    public static boolean isPrivilegeRefusal(Throwable fault) {
        return switch (fault) {
            case IllegalCallerException _ -> true;
            case java.lang.reflect.InaccessibleObjectException _ -> true;
            case UnsupportedOperationException u -> u.getStackTrace().length > 0
                    && "sun.misc.Unsafe".equals(u.getStackTrace()[0].getClassName());
            default -> false;
        };
    }

    /**
     * {@code DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS (0xCE)} for a call through a service
     * object of a driver that has been unloaded (its pool, lookaside lists, system memory, list routines
     * or driver object): NT raises 0xCE when code of an unloaded driver is reached; in Ringzero the
     * driver's handles die with it, so a thread it left behind meets this at its next call.
     *
     * @param owner   the unloaded driver
     * @param routine the routine called, e.g. {@code ExAllocatePoolWithTag}
     * @param address the address the call referenced (Parameter 1), 0 for none
     * @param write   whether the call would have changed memory (Parameter 2: 1 write, 0 read)
     */
    public static BugCheck callAfterUnload(Owner owner, String routine, int address, boolean write) {
        return new BugCheck(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
                Integer.toUnsignedLong(address), write ? 1 : 0, 0, 0,
                String.format("%s called %s%s after it was unloaded; its service objects were revoked at unload",
                        owner, routine, address == 0 ? "" : String.format(" (address %08X)", address)));
    }

    static String hex(long v) {
        return (v & 0xFFFF_FFFF_0000_0000L) == 0 ? String.format("0x%08X", v) : String.format("0x%016X", v);
    }

    private static String format(BugCheckCode code, long p1, long p2, long p3, long p4, String detail) {
        String head = code + " (" + hex(p1) + ", " + hex(p2) + ", " + hex(p3) + ", " + hex(p4) + ")";
        return detail == null || detail.isEmpty() ? head : head + ": " + detail;
    }
}
