package dev.ringzero.pool;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.BugCheckCode;
import dev.ringzero.api.NtStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java fault that escaped driver code, as the stop code NT would show ({@code ExecutivePool.translateFault}).
 *
 * <p>An access outside a {@code MemorySegment}'s bounds is an {@link IndexOutOfBoundsException} whose only
 * record of where it happened is its message: the segment's native address and size, the offset and the
 * length. That message is the JDK's, not an API; the shapes this class relies on are {@link #NATIVE} and
 * {@link #HEAP}, exactly as JDK 25 writes them, and {@code FaultTranslationTest} fails when a JDK writes them
 * otherwise. With the segment's address the pool names the system address the driver referenced:
 * <ul>
 *   <li>inside or at the end of a special-pool block: {@code DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION} (0xD6),
 *       Parameter1 the system address referenced;</li>
 *   <li>any other block of this pool: {@code PAGE_FAULT_IN_NONPAGED_AREA} (0x50), the same Parameter1;</li>
 *   <li>a segment that is not the pool's (the driver's own, a heap segment): {@link BugCheck#fromDriverFault}.</li>
 * </ul>
 * An {@code IndexOutOfBoundsException} whose message has neither shape (an array or a list in driver code, or a
 * JDK that words its segment faults otherwise) cannot be placed: it is {@code SYSTEM_THREAD_EXCEPTION_NOT_HANDLED}
 * (0x7E), exception code {@code STATUS_ACCESS_VIOLATION}, with the exception as its cause, charged to the driver
 * like any other, never a page fault at a made-up address. Every other fault is {@link BugCheck#fromDriverFault}'s.
 */
final class FaultTranslation {

    /** JDK 25's message for an out-of-bounds access to a native segment (jdk.internal.foreign.AbstractMemorySegmentImpl). */
    static final Pattern NATIVE = Pattern.compile("Out of bound access on segment MemorySegment\\{ kind: native, "
            + "address: 0x(\\p{XDigit}+), byteSize: (\\d+) }; new offset = (-?\\d+); new length = (\\d+)");
    /** The same for a heap segment, which is never the pool's. */
    static final Pattern HEAP = Pattern.compile("Out of bound access on segment MemorySegment\\{ kind: heap, "
            + "heapBase: .*, address: 0x\\p{XDigit}+, byteSize: \\d+ }; new offset = -?\\d+; new length = \\d+");

    private FaultTranslation() {
    }

    /** A segment fault's record, read from the JDK's message. */
    record SegmentFault(long nativeBase, long byteSize, long offset, long length) {
    }

    /** The native segment fault {@code message} describes, or null when it has not {@link #NATIVE}'s shape. */
    static SegmentFault parse(String message) {
        Matcher m = message == null ? null : NATIVE.matcher(message);
        if (m == null || !m.matches()) {
            return null;
        }
        return new SegmentFault(Long.parseUnsignedLong(m.group(1), 16), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
    }

    static BugCheck translate(Throwable fault, AddressSpace memory) {
        if (!(fault instanceof IndexOutOfBoundsException)) {
            return BugCheck.fromDriverFault(fault);
        }
        String what = fault.getClass().getName() + (fault.getMessage() == null ? "" : ": " + fault.getMessage());
        SegmentFault s = parse(fault.getMessage());
        if (s == null) {
            if (fault.getMessage() != null && HEAP.matcher(fault.getMessage()).matches()) {
                return BugCheck.fromDriverFault(fault);
            }
            return new BugCheck(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED,
                    NtStatus.STATUS_ACCESS_VIOLATION.value() & 0xFFFF_FFFFL, 0, 0, 0,
                    "an access out of bounds the pool cannot place (no segment named in the fault): " + what, fault);
        }
        long system = memory.systemAddressOfNative(s.nativeBase());
        if (system < 0) {
            return BugCheck.fromDriverFault(fault); // a segment that is not the pool's
        }
        long referenced = (system + s.offset()) & 0xFFFF_FFFFL;
        if (memory.specialAtNative(s.nativeBase()) != null) {
            return new BugCheck(BugCheckCode.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, referenced, 0, 0, 0,
                    String.format("access of %d bytes at %08X beyond the end of a special pool block: %s",
                            s.length(), referenced, what), fault);
        }
        return new BugCheck(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, referenced, 0, 0, 0,
                String.format("access of %d bytes at %08X outside the bounds of a block: %s", s.length(), referenced,
                        what), fault);
    }
}
