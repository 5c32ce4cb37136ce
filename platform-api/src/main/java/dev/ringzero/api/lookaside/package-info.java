/**
 * The driver contract's lookaside lists: {@code ExInitialize(N)PagedLookasideList},
 * {@code ExInitializeLookasideListEx}, allocate / free / delete ({@link dev.ringzero.api.lookaside.LookasideLists}),
 * the per-thread {@link dev.ringzero.api.lookaside.LookasideTap tap}, a list's counters
 * ({@link dev.ringzero.api.lookaside.LookasideInfo}), and the allocate / free routines a driver may supply.
 *
 * <h2>Who calls what</h2>
 * A driver calls {@code LookasideLists}, its own view from {@code DriverObject.service}; every list it initializes
 * is owned by it. The machinery behind the view — the system-wide registry of live lists, the balance-set manager
 * that tunes each list's {@code Depth}, the implementations ({@code nt}, {@code magazine}) — is the provider SPI,
 * {@code dev.ringzero.spi.lookaside}, which a driver may not import. Java programs without a host get the same
 * routines from {@code dev.ringzero.library.LookasideLibrary}.
 *
 * <h2>Address, not segment</h2>
 * A list is named by its header's system address: caller-supplied memory of
 * {@code NtLayouts.PAGED_LOOKASIDE_LIST} / {@code NPAGED_LOOKASIDE_LIST} / {@code LOOKASIDE_LIST_EX} size, in NT's
 * x86 layout, which holds the S-list and the counters as NT keeps them; the entries are addresses too. The tap is
 * the one place segments are handed out directly — the fastest path, no header to resolve — and a tap's segment
 * is bounded to the list's entry size.
 *
 * <h2>IRQL and threads</h2>
 * Paged routines at &le; {@code APC_LEVEL}, non-paged and {@code Ex} routines at &le; {@code DISPATCH_LEVEL}. The
 * level is checked at initialization and delete; the allocate / free hit path is not checked, as NT's inline
 * routines are not. Any thread may allocate from and free to a list; a tap belongs to the thread that created it,
 * and using it from another is a programming error that may go undetected.
 *
 * <h2>What is checked</h2>
 * A list must be deleted before its header's memory is freed and before the driver unloads: initializing a header
 * that holds a live list, deleting one that is not live, an entry size below 4 bytes and freeing memory that holds a
 * live list are verifier bug checks (0xC4 / 0xCA, 0xCB, 0xCD, 0xCC); a list left undeleted at unload is 0xC7 under
 * the verifier, reported without it. Under the verifier a list's {@code Depth} is 0, so every allocation reaches
 * the pool and its checks. Not checked: the hit path's IRQL (above), a tap's thread, and what a driver's own
 * allocate / free routines do beyond the pool's checks.
 *
 * <p>2.0: the registry, the implementations' SPI and the services factory moved to
 * {@code dev.ringzero.spi.lookaside}, the library to {@code dev.ringzero.library} (the API split); nothing a
 * driver calls changed, but the package lost types, hence the major version: a driver built against 1.x is refused
 * and must be rebuilt.
 */
@Export
@Version("2.0.0")
package dev.ringzero.api.lookaside;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
