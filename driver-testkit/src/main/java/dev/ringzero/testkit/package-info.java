/**
 * The driver test kit: {@link dev.ringzero.testkit.DriverTest @DriverTest} gives a JUnit 5 test a
 * {@link dev.ringzero.testkit.DriverHarness} — the host's {@link dev.ringzero.host.core.InProcessHost} (the executive
 * assembled as the launcher assembles it, the same I/O manager, no OSGi) and the assertions a driver author needs:
 * the status {@code DriverEntry} returned ({@link dev.ringzero.testkit.DriverRun#assertStatus}), the {@code DbgPrint}
 * lines ({@link dev.ringzero.testkit.DriverRun#assertDbgPrint}), that nothing leaked and that nothing bug-checked.
 * Failures name what a driver author needs: the bug check with its parameters and the driver's line that raised
 * it, each leaked block with its tag and (under the verifier) the line that allocated it.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>One harness per test, made and closed by the extension; its methods are called on the test's thread.
 *       The driver's code still runs on its own system workers at PASSIVE_LEVEL, as in the host.</li>
 *   <li>The kit reads what the host reports, typed, and wraps nothing: leaks come from the I/O manager's
 *       {@link dev.ringzero.host.core.UnloadReport}s, bug checks from its {@link
 *       dev.ringzero.host.core.BugCheckReport}s. A leak is judged at unload, as the verifier does: a driver still
 *       loaded cannot be judged.</li>
 *   <li>Time moves only when the test says ({@link dev.ringzero.testkit.DriverHarness#tick}): the balance-set
 *       manager never runs by itself, so no assertion depends on the wall clock.</li>
 *   <li>The driver's name is the host's: its {@link dev.ringzero.api.RingzeroDriver} name, else its class's simple
 *       name ({@code DriverNames}).</li>
 * </ul>
 *
 * <p>The assertions throw {@link java.lang.AssertionError}s; the kit needs no assertion library.
 */
package dev.ringzero.testkit;
