/**
 * The driver test kit: {@link dev.ringzero.testkit.DriverTest @DriverTest} gives a JUnit 5 test a
 * {@link dev.ringzero.testkit.DriverHarness} — an in-process host on the lifecycle core, without
 * OSGi — that loads drivers, advances the balance-set manager by hand, and asserts the status
 * {@code DriverEntry} returned ({@link dev.ringzero.testkit.DriverRun#assertStatus}), the
 * {@code DbgPrint} lines ({@link dev.ringzero.testkit.DriverRun#assertDbgPrint}), that nothing leaked
 * and that nothing bug-checked. Failures name what a driver author needs: the bug check with its
 * parameters and the driver's line that raised it, each leaked block with its tag and (under the
 * verifier) the line that allocated it.
 *
 * <p>The assertions throw {@link java.lang.AssertionError}s; the kit needs no assertion library.
 */
package dev.ringzero.testkit;
