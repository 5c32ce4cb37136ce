package dev.ringzero.host.kd;

/** Bad input to a debugger command: its message is the one line the user sees. */
public final class KdError extends RuntimeException {

    public KdError(String message) {
        super(message, null, false, false);
    }
}
