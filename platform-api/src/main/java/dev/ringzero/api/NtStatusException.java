package dev.ringzero.api;

/**
 * A status raised as an exception: {@code ExRaiseStatus}. The pool raises
 * {@link NtStatus#STATUS_INSUFFICIENT_RESOURCES} this way when the caller asked for
 * {@code POOL_RAISE_IF_ALLOCATION_FAILURE}; a driver may catch it as it would with {@code __try}.
 */
public final class NtStatusException extends RuntimeException {

    private final transient NtStatus status;

    public NtStatusException(NtStatus status, String detail) {
        super(detail == null ? status.toString() : status + ": " + detail);
        this.status = status;
    }

    /** {@code ExRaiseStatus(status)}. */
    public static NtStatusException ExRaiseStatus(NtStatus status) {
        throw new NtStatusException(status, null);
    }

    public NtStatus status() {
        return status;
    }
}
