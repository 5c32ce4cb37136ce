/**
 * The driver contract's core: what a driver is and what the host hands it — {@link dev.ringzero.api.Driver} /
 * {@link dev.ringzero.api.DriverObject}, {@link dev.ringzero.api.RingzeroDriver @RingzeroDriver},
 * {@link dev.ringzero.api.NtStatus}, IRQL ({@link dev.ringzero.api.Irql}), bug checks
 * ({@link dev.ringzero.api.BugCheck}), {@link dev.ringzero.api.Kd#DbgPrint DbgPrint} and system threads.
 *
 * <h2>The three parts of the API</h2>
 * A driver bundle may import the driver contract — this package, {@code dev.ringzero.api.memory} and
 * {@code dev.ringzero.api.lookaside} — and the JDK, nothing else. The provider SPI ({@code dev.ringzero.spi.*}:
 * what the executive and allocators implement and the host calls) and the library ({@code dev.ringzero.library},
 * for plain Java programs) sit in the same jar but are not the driver's: a driver bundle importing them is refused
 * at load with one line, and the services implementing them are hidden from drivers. Each part is versioned on
 * its own, so a change to the SPI never moves a driver's import ranges.
 *
 * <h2>Who calls what</h2>
 * <ul>
 *   <li>A driver implements {@link dev.ringzero.api.Driver} (a {@code ConsumerType}: a method added to it is a
 *       major change) and, optionally, {@link dev.ringzero.api.DriverUnload}; it marks its entry class with
 *       {@code @RingzeroDriver(name = ...)}, from which bnd writes the manifest headers the host loads it by.</li>
 *   <li>The host implements {@link dev.ringzero.api.DriverObject} and {@link dev.ringzero.api.SystemThread}
 *       ({@code ProviderType}s: the host may grow them in a minor version). A driver gets every executive
 *       service from {@link dev.ringzero.api.DriverObject#service(Class)} — its own view, owned by its
 *       {@link dev.ringzero.api.Owner} — never from the OSGi registry or by constructing one.</li>
 *   <li>{@link dev.ringzero.api.Irql}, {@link dev.ringzero.api.Kd}, {@link dev.ringzero.api.NtStatus},
 *       {@link dev.ringzero.api.BugCheck} and {@link dev.ringzero.api.CFormat} are plain classes any code may
 *       call; {@code Kd.callWithOutput} and {@code Irql.resetToPassive} are the host's (binding a driver's
 *       {@code DbgPrint} output to it, returning a reused worker thread to PASSIVE_LEVEL); a driver has no reason
 *       to call them.</li>
 * </ul>
 *
 * <h2>Threads and IRQL</h2>
 * The level is kept per thread, starting at {@code PASSIVE_LEVEL}. {@code DriverEntry}, {@code DriverUnload} and
 * a driver's system threads run at {@code PASSIVE_LEVEL} on threads the host owns; the host's I/O manager thread
 * orders the loads and unloads, and a {@code DriverEntry} that does not return is reported by the watchdog and
 * quarantined. A driver raises with
 * {@code KeRaiseIrql} (raising to a lower level is bug check 0x9) and lowers with {@code KeLowerIrql} (lowering
 * to a higher one is 0xA), as the HAL checks. {@code DbgPrint} and {@code KeGetCurrentIrql} are callable at any
 * level. Each service routine states the levels it accepts; the services check them at their API calls, exactly
 * where NT asserts, and nowhere else.
 *
 * <h2>What is checked, and what is not</h2>
 * Checked: IRQL at the pool's and the lookaside lists' calls; every address a driver hands back (a bug check,
 * never a JVM crash); ownership of pool blocks; at unload, leaked blocks and undeleted lookaside lists (bug
 * checks under the verifier, a report without it); a call through a service object after the driver unloaded
 * (0xCE). A bug check is an exception: escaping driver code ({@code DriverEntry}, {@code DriverUnload}, a system
 * thread) it is charged to the driver and reported with a crash report, and the host goes on; any other exception
 * escaping is bug check 0x7E. Not checked: the caller's locking ({@code Lists} is not synchronized, as NT's routines are
 * not), a {@code LookasideTap} used from a thread other than its own, or the lookaside allocate/free hit path's
 * IRQL (NT's inline routines do not check it either).
 */
@Export
@Version("1.4.0")
package dev.ringzero.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
