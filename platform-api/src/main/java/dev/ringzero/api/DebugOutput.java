package dev.ringzero.api;

/**
 * Where {@link Kd#DbgPrint} text goes: the host's kernel-debugger console, a log, a test's transcript.
 *
 * <p>{@code DbgPrint} delivers text exactly as the driver formatted it, possibly a partial line;
 * {@link DebugLineBuffer} turns that stream into whole lines.
 */
@FunctionalInterface
public interface DebugOutput {

    /** Receives formatted driver text, unchanged: nothing is prepended or appended. */
    void write(String text);
}
