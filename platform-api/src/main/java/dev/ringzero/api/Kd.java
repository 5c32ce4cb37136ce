package dev.ringzero.api;

import java.util.Objects;

/**
 * Kernel-debugger output: {@code DbgPrint}.
 *
 * <p>The host binds each driver's calls (its {@code DriverEntry}, {@code DriverUnload}, its system
 * threads) to that driver's {@link DebugOutput} with {@link #callWithOutput}, so {@code DbgPrint} text
 * is attributed to the driver that printed it without the driver passing anything around. Text
 * printed on a thread with no binding goes to standard output.
 *
 * {@snippet :
 * import static dev.ringzero.api.Kd.DbgPrint;
 *
 * DbgPrint("LookasideList: + Entry #%d added\n", index);
 * }
 */
public final class Kd {

    private static final ScopedValue<DebugOutput> OUTPUT = ScopedValue.newInstance();
    private static final DebugOutput STANDARD_OUTPUT = text -> {
        System.out.print(text);
        System.out.flush();
    };

    private Kd() {
    }

    /**
     * {@code DbgPrint}: formats like C's {@code printf} (see {@link CFormat}) and writes the text,
     * unchanged, to the calling driver's debug output. Any IRQL.
     *
     * @return {@code STATUS_SUCCESS}'s value, as {@code DbgPrint} returns
     */
    public static int DbgPrint(String format, Object... args) {
        currentOutput().write(CFormat.sprintf(format, args));
        return NtStatus.STATUS_SUCCESS.value();
    }

    /** The debug output bound to the calling thread, or standard output. */
    public static DebugOutput currentOutput() {
        return OUTPUT.isBound() ? OUTPUT.get() : STANDARD_OUTPUT;
    }

    /** Runs {@code op} with {@code DbgPrint} bound to {@code output} (the host's and test kit's call). */
    public static <T, X extends Throwable> T callWithOutput(DebugOutput output, ScopedValue.CallableOp<T, X> op)
            throws X {
        return ScopedValue.where(OUTPUT, Objects.requireNonNull(output, "output")).call(op);
    }
}
