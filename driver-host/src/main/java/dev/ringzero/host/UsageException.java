package dev.ringzero.host;

/** A command line the CLI cannot follow; its message is the one line the user sees. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
