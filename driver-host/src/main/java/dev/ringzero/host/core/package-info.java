/**
 * The driver lifecycle core, free of OSGi: what NT's I/O manager does to load and unload a driver — build its
 * {@code DRIVER_OBJECT}, call {@code DriverEntry} on a system worker thread at PASSIVE_LEVEL under a watchdog,
 * unload on failure without calling {@code DriverUnload}, run the verifier's checks at unload, and turn every
 * fault into a {@link dev.ringzero.host.core.BugCheckReport}. The launcher's extender, {@code ringzero run}, the
 * {@link dev.ringzero.host.core.InProcessHost} and the test kit all drive drivers through one
 * {@link dev.ringzero.host.core.IoManager} over one {@link dev.ringzero.host.core.ExecutiveAssembly}.
 *
 * <h2>Who calls what</h2>
 * <ul>
 *   <li>{@code IoManager.load}, {@code unload}, {@code forceUnload}, {@code close}: host threads only (the launcher's
 *       one I/O manager thread, a test's thread), one at a time per driver name. Never from a driver's thread:
 *       they wait for driver code under the watchdog, and a driver waiting for its own unload never returns.</li>
 *   <li>{@code IoManager.report}: any thread, drivers' included — it is how a fault becomes a bug check. Its
 *       listeners ({@code onBugCheck}) and the unload listeners ({@code onUnload}) run on that thread, so they
 *       must not wait for the I/O manager (the launcher hands halts and faulted unloads to its janitor).</li>
 *   <li>The core never calls up: it knows no bundle, framework or shell. A driver's code comes in through
 *       {@link dev.ringzero.host.core.DriverCode} (the launcher implements it over a bundle), its output goes out
 *       through {@link dev.ringzero.host.core.DbgPrintSink}, its fate through the typed reports.</li>
 * </ul>
 *
 * <h2>Threads and IRQL</h2>
 * Driver code — static initializers, the constructor, {@code DriverEntry}, {@code DriverUnload}, system threads —
 * runs only on threads of the driver's own {@link dev.ringzero.host.core.DriverThreadGroup}, each reset to
 * PASSIVE_LEVEL before the driver's first line ({@code Irql.resetToPassive}); the host's own threads live in
 * {@link dev.ringzero.host.core.HostThreads}'s group and never run driver code. A host thread that waits for driver
 * code waits uninterruptibly and keeps the interrupt for later ({@link dev.ringzero.host.core.Interrupts}): any
 * driver can interrupt any thread.
 *
 * <h2>Addresses and segments</h2>
 * A driver holds addresses ({@code int}), never segments: its {@code DRIVER_OBJECT}'s facades resolve them against
 * the executive's memory per call, and at unload its handles are revoked so a leftover thread's next call faults
 * ({@code 0xCE}). The core itself holds one segment per driver, its image section, and gives it back at teardown.
 *
 * <h2>Typed, not strings</h2>
 * What the core found is a type: a {@link dev.ringzero.host.core.DriverOutcome} per load, an
 * {@link dev.ringzero.host.core.UnloadReport} per unload (leaked blocks, undeleted lists, bug checks), a
 * {@link dev.ringzero.host.core.BugCheckReport} per bug check whose phase is the sealed
 * {@link dev.ringzero.host.core.BugCheckPhase}. Text is made from them only at the edges (the CLI, the shell, JFR).
 *
 * <h2>Never</h2>
 * Nothing here throws a driver's fault at a caller, imports OSGi, or frees a quarantined driver's memory (its code
 * may still run and touch it).
 */
package dev.ringzero.host.core;
