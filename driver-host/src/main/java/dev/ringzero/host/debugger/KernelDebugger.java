package dev.ringzero.host.debugger;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The kernel debugger's commands, as the host serves them to the {@code kd} shell bundle: one method per
 * command, named as the command, taking the words the user typed after it and answering the text to show.
 * Bad input is answered, never thrown: one line naming what is wrong (or the command's usage, {@link KdHelp},
 * for a call of the wrong shape, and for {@code -h}).
 *
 * <p>Addresses and numbers are read as WinDbg reads them: hex by default, {@code 0x} allowed, {@code 0n}
 * for decimal.
 */
public interface KernelDebugger {

    /**
     * The package drivers may not wire to: the one name the host's wiring check and the system bundle's
     * exports use for it.
     */
    String PACKAGE = "dev.ringzero.host.debugger";

    /** The version the system bundle exports {@link #PACKAGE} with. */
    String VERSION = "1.0.0";

    /** Every command with its usage line. */
    String commands();

    String lm(String... args);

    String lookaside(String... args);

    String poolused(String... args);

    /**
     * A live PoolMon on {@code console}, redrawn every second and at each of poolmon.exe's keys read from
     * {@code keys}, until {@code Q} or the end of {@code keys}; answers its usage instead for {@code -h} or any
     * argument, and nothing after a run.
     *
     * @throws IOException when the console fails
     */
    String poolmon(InputStream keys, PrintStream console, String... args) throws IOException;

    String load(String... args);

    String unload(String... args);

    String allocators(String... args);

    String verifier(String... args);

    String specialpool(String... args);

    String bugchecks(String... args);

    /** {@code !pool ADDRESS [FLAGS]}. */
    String pool(String... args);

    /** {@code !poolfind TAG [POOLTYPE]}. */
    String poolfind(String... args);

    /** {@code dt TYPE [ADDRESS]}. */
    String dt(String... args);

    /** {@code db ADDRESS [L COUNT]}: bytes and ASCII. */
    String db(String... args);

    /** {@code dw ADDRESS [L COUNT]}: 16-bit words. */
    String dw(String... args);

    /** {@code dd ADDRESS [L COUNT]}: 32-bit double words. */
    String dd(String... args);

    /** {@code dq ADDRESS [L COUNT]}: 64-bit quad words. */
    String dq(String... args);

    /** {@code !list -t TYPE.FIELD [-x "COMMAND"] [-m MAX] [-e] ADDRESS}. */
    String list(String... args);

    /** {@code !analyze -v [N]}. */
    String analyze(String... args);

    /** {@code !drvobj NAME}. */
    String drvobj(String... args);
}
