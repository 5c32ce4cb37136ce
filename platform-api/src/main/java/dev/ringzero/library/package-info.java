/**
 * Ringzero's lookaside lists as a plain Java library: {@link dev.ringzero.library.LookasideLibrary} assembles an
 * executive pool and the lookaside machinery with {@link java.util.ServiceLoader} (put {@code allocator-pool} and
 * {@code allocator-lookaside} beside the API) and hands out one owner's NT routines and taps — no host, no OSGi,
 * no driver.
 *
 * <h2>Who calls what</h2>
 * Java applications, benchmarks and tools call it. A driver may not import this package (it is refused at load):
 * a driver gets the same {@code LookasideLists} from its {@code DriverObject}, charged to it and checked at its
 * unload, where a library's lists are charged to the library's owner and deleted by {@code close}. The library is
 * a consumer of the provider SPI ({@code dev.ringzero.spi.memory}, {@code dev.ringzero.spi.lookaside}), the one
 * part of the API that may be; that is why it sits outside the driver contract's packages.
 *
 * <h2>Rules</h2>
 * The routines are the driver contract's ({@code dev.ringzero.api.lookaside}, {@code dev.ringzero.api.memory}), with
 * their IRQL rules, checks and bug checks: a bug check in a library is an exception thrown to the caller, with no
 * host to catch it. Lists are named by system addresses; taps hand out segments bounded to the entry size. Not
 * thread-confined: every routine is as thread-safe as NT's, a tap belongs to its thread. One library is one address
 * space: two libraries share nothing, and an address from one means nothing to the other.
 *
 * <h2>Versions</h2>
 * Versioned on its own (1.x). Before API 2 the class was {@code dev.ringzero.library.LookasideLibrary}: code
 * using it changes its import, nothing else.
 */
@Export
@Version("1.0.0")
package dev.ringzero.library;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
