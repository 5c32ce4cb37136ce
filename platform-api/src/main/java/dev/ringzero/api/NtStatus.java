package dev.ringzero.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * An NTSTATUS value: {@code Sev(31:30) | C(29) | N(28) | Facility(27:16) | Code(15:0)}.
 *
 * <p>Values are compared by their 32 bits; the named constants print the way a kernel debugger
 * shows them, e.g. {@code STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182)}. An unnamed value prints
 * as {@code 0x........}.
 *
 * @param value the 32-bit status
 */
public record NtStatus(int value) {

    private static final Map<Integer, String> NAMES = new TreeMap<>();

    public static final NtStatus STATUS_SUCCESS = named(0x00000000, "STATUS_SUCCESS");
    public static final NtStatus STATUS_PENDING = named(0x00000103, "STATUS_PENDING");
    public static final NtStatus STATUS_DATATYPE_MISALIGNMENT = named(0x80000002, "STATUS_DATATYPE_MISALIGNMENT");
    public static final NtStatus STATUS_UNSUCCESSFUL = named(0xC0000001, "STATUS_UNSUCCESSFUL");
    public static final NtStatus STATUS_NOT_IMPLEMENTED = named(0xC0000002, "STATUS_NOT_IMPLEMENTED");
    public static final NtStatus STATUS_ACCESS_VIOLATION = named(0xC0000005, "STATUS_ACCESS_VIOLATION");
    public static final NtStatus STATUS_INVALID_PARAMETER = named(0xC000000D, "STATUS_INVALID_PARAMETER");
    public static final NtStatus STATUS_INVALID_DEVICE_REQUEST = named(0xC0000010, "STATUS_INVALID_DEVICE_REQUEST");
    public static final NtStatus STATUS_NO_MEMORY = named(0xC0000017, "STATUS_NO_MEMORY");
    public static final NtStatus STATUS_OBJECT_NAME_NOT_FOUND = named(0xC0000034, "STATUS_OBJECT_NAME_NOT_FOUND");
    public static final NtStatus STATUS_OBJECT_NAME_COLLISION = named(0xC0000035, "STATUS_OBJECT_NAME_COLLISION");
    public static final NtStatus STATUS_OBJECT_PATH_NOT_FOUND = named(0xC000003A, "STATUS_OBJECT_PATH_NOT_FOUND");
    public static final NtStatus STATUS_DELETE_PENDING = named(0xC0000056, "STATUS_DELETE_PENDING");
    public static final NtStatus STATUS_PRIVILEGE_NOT_HELD = named(0xC0000061, "STATUS_PRIVILEGE_NOT_HELD");
    public static final NtStatus STATUS_INVALID_IMAGE_FORMAT = named(0xC000007B, "STATUS_INVALID_IMAGE_FORMAT");
    /**
     * {@code 0xC0000096}: a privileged instruction was executed. Ringzero raises it for a driver that calls
     * what only the executive may: a restricted FFM method ({@code MemorySegment.reinterpret}, {@code Linker}),
     * {@code setAccessible} into the executive, {@code sun.misc.Unsafe} memory access, or the framework's
     * lifecycle.
     */
    public static final NtStatus STATUS_PRIVILEGED_INSTRUCTION = named(0xC0000096, "STATUS_PRIVILEGED_INSTRUCTION");
    public static final NtStatus STATUS_INSUFFICIENT_RESOURCES = named(0xC000009A, "STATUS_INSUFFICIENT_RESOURCES");
    public static final NtStatus STATUS_INVALID_PARAMETER_1 = named(0xC00000EF, "STATUS_INVALID_PARAMETER_1");
    public static final NtStatus STATUS_INVALID_PARAMETER_2 = named(0xC00000F0, "STATUS_INVALID_PARAMETER_2");
    public static final NtStatus STATUS_INVALID_PARAMETER_3 = named(0xC00000F1, "STATUS_INVALID_PARAMETER_3");
    public static final NtStatus STATUS_INVALID_PARAMETER_4 = named(0xC00000F2, "STATUS_INVALID_PARAMETER_4");
    public static final NtStatus STATUS_INVALID_PARAMETER_5 = named(0xC00000F3, "STATUS_INVALID_PARAMETER_5");
    public static final NtStatus STATUS_INVALID_PARAMETER_6 = named(0xC00000F4, "STATUS_INVALID_PARAMETER_6");
    public static final NtStatus STATUS_INVALID_PARAMETER_7 = named(0xC00000F5, "STATUS_INVALID_PARAMETER_7");
    public static final NtStatus STATUS_INVALID_PARAMETER_8 = named(0xC00000F6, "STATUS_INVALID_PARAMETER_8");
    public static final NtStatus STATUS_INVALID_PARAMETER_9 = named(0xC00000F7, "STATUS_INVALID_PARAMETER_9");
    public static final NtStatus STATUS_INVALID_PARAMETER_10 = named(0xC00000F8, "STATUS_INVALID_PARAMETER_10");
    public static final NtStatus STATUS_INVALID_PARAMETER_11 = named(0xC00000F9, "STATUS_INVALID_PARAMETER_11");
    public static final NtStatus STATUS_INVALID_PARAMETER_12 = named(0xC00000FA, "STATUS_INVALID_PARAMETER_12");
    public static final NtStatus STATUS_IMAGE_ALREADY_LOADED = named(0xC000010E, "STATUS_IMAGE_ALREADY_LOADED");
    public static final NtStatus STATUS_ILL_FORMED_SERVICE_ENTRY = named(0xC0000160, "STATUS_ILL_FORMED_SERVICE_ENTRY");
    public static final NtStatus STATUS_DEVICE_CONFIGURATION_ERROR = named(0xC0000182, "STATUS_DEVICE_CONFIGURATION_ERROR");
    public static final NtStatus STATUS_DRIVER_ENTRYPOINT_NOT_FOUND = named(0xC0000263, "STATUS_DRIVER_ENTRYPOINT_NOT_FOUND");
    public static final NtStatus STATUS_DRIVER_UNABLE_TO_LOAD = named(0xC000026C, "STATUS_DRIVER_UNABLE_TO_LOAD");
    public static final NtStatus STATUS_FAILED_DRIVER_ENTRY = named(0xC0000365, "STATUS_FAILED_DRIVER_ENTRY");

    private static NtStatus named(int value, String name) {
        NAMES.put(value, name);
        return new NtStatus(value);
    }

    /** The status with these 32 bits. */
    public static NtStatus of(int value) {
        return new NtStatus(value);
    }

    /** {@code NT_SUCCESS}: success or informational (the sign bit is clear). */
    public static boolean NT_SUCCESS(NtStatus status) {
        return status.value >= 0;
    }

    /** {@code NT_INFORMATION}: severity 01. */
    public static boolean NT_INFORMATION(NtStatus status) {
        return status.severity() == 1;
    }

    /** {@code NT_WARNING}: severity 10. */
    public static boolean NT_WARNING(NtStatus status) {
        return status.severity() == 2;
    }

    /** {@code NT_ERROR}: severity 11. */
    public static boolean NT_ERROR(NtStatus status) {
        return status.severity() == 3;
    }

    /** Bits 31:30: 0 success, 1 informational, 2 warning, 3 error. */
    public int severity() {
        return value >>> 30;
    }

    /** Bit 29: a customer-defined code. */
    public boolean isCustomer() {
        return (value & 0x2000_0000) != 0;
    }

    /** Bits 27:16. */
    public int facility() {
        return (value >>> 16) & 0x0FFF;
    }

    /** Bits 15:0. */
    public int code() {
        return value & 0xFFFF;
    }

    /** The symbolic name, e.g. {@code STATUS_SUCCESS}, or {@code null} when the value has none here. */
    public String name() {
        return NAMES.get(value);
    }

    /** {@code 0xC0000182}: eight upper-case hex digits. */
    public String hex() {
        return String.format("0x%08X", value);
    }

    /** {@code STATUS_DEVICE_CONFIGURATION_ERROR (0xC0000182)}, or just {@code 0x........} when unnamed. */
    @Override
    public String toString() {
        String name = name();
        return name == null ? hex() : name + " (" + hex() + ")";
    }
}
