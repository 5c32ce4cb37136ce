package dev.ringzero.host.launch;

/**
 * Why the host could not do what it was asked, in one line a user can act on — never a stack trace.
 *
 * <p>{@link Kind#USAGE} is the caller's mistake (a missing or corrupt jar, a jar that is no driver
 * bundle, a bundle that cannot resolve); {@link Kind#FAULT} is the host's own trouble (a platform
 * bundle that does not start, an executive service that never appears, the framework failing).
 */
public final class HostException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Whose fault it is. */
    public enum Kind {
        /** The caller's: what was given cannot be loaded. */
        USAGE,
        /** The host's: the platform is broken or incomplete. */
        FAULT
    }

    private final Kind kind;

    public HostException(Kind kind, String message) {
        this(kind, message, null);
    }

    public HostException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
