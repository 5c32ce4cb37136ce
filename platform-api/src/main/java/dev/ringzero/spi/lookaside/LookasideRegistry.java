package dev.ringzero.spi.lookaside;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The system-wide view of every live lookaside list, whatever implementation serves it — NT's
 * {@code ExNPagedLookasideListHead} and {@code ExPagedLookasideListHead} — and the balance-set manager
 * that tunes their depths.
 */
@ProviderType
public interface LookasideRegistry {

    /** Every live list, in registration order. */
    List<LookasideInfo> lists();

    /** The live list whose header is at {@code address}. */
    Optional<LookasideInfo> find(int address);

    /** The live lists {@code owner} initialized and has not deleted. */
    List<LookasideInfo> ownedBy(Owner owner);

    /**
     * Unregisters every list {@code owner} still has, without touching their memory or calling their
     * Free routines: the host quarantining a driver that faulted, or whose undeleted lists the verifier
     * reported at unload.
     *
     * @return the lists removed
     */
    List<LookasideInfo> purge(Owner owner);

    /**
     * {@code !lookaside <address>} in WinDbg's format (the tutorial's dump):
     * <pre>
     * Lookaside "" @ ed374840 "Regm"
     *     Type           =       0001  PagedPool
     *     Current Depth  =          2  Max Depth  =          4
     *     ...
     * </pre>
     *
     * @throws java.util.NoSuchElementException when no live list is at {@code address}, saying what became of
     *                                          one that was
     */
    String render(int address);

    /** {@code !lookaside} over every live list, with the non-paged / paged totals. */
    String renderAll();

    /**
     * {@code !lookaside <address> 1}: resets the counters of the live list whose header is at
     * {@code address}, as WinDbg's kdexts does by writing zeros into the header in the target's memory.
     *
     * <p>Zeroed: {@code TotalAllocates}, {@code AllocateMisses}, {@code TotalFrees} and {@code FreeMisses},
     * and with them the balance-set manager's snapshots {@code LastTotalAllocates} and
     * {@code LastAllocateMisses}, so that its next scan of the list sees the allocations made since the
     * reset rather than a negative (wrapped, unsigned) delta. Nothing else changes: {@code Depth}, the
     * cached entries and the hit paths stay as they were. An implementation that counts elsewhere than
     * in the header (per-thread caches) folds those counts in first, so the reset covers everything
     * counted so far and counting resumes from 0.
     *
     * <p>Not a driver routine: the debugger's command, which the host's shell calls at
     * {@code PASSIVE_LEVEL}. The counters are statistics that NT updates without interlocked operations;
     * an allocation or free racing with the reset may be counted before it, after it, or lost, as on NT.
     *
     * @return the list as it reads after the reset
     * @throws java.util.NoSuchElementException when no live list is at {@code address}, as {@link #render(int)}
     */
    LookasideInfo resetCounters(int address);

    /**
     * {@code !lookaside <address> 2 <depth>}: stores {@code depth} in the {@code Depth} field of the live
     * list whose header is at {@code address}, as WinDbg's kdexts does in the target's memory — the cap
     * on cached entries that {@code !lookaside} shows as Max Depth. From the next free on, a free that
     * finds {@code depth} entries cached goes to the Free routine ({@code FreeMisses}); entries already
     * cached above a lowered cap are not freed, they are handed out by later allocations.
     *
     * <p>As on NT this is not a pin: the balance-set manager retunes {@code Depth} at its next scan of the
     * list (every 3 seconds), from the new value, and keeps a verified owner's list at 0.
     *
     * <p>Not a driver routine: the debugger's command, which the host's shell calls at
     * {@code PASSIVE_LEVEL}.
     *
     * @param depth the new {@code Depth}, from 0 to the list's {@code MaximumDepth} inclusive
     * @return the list as it reads after the change
     * @throws IllegalArgumentException naming {@code depth} and the bounds when it is outside
     *                                  {@code 0..MaximumDepth}; nothing is changed
     * @throws java.util.NoSuchElementException when no live list is at {@code address}, as {@link #render(int)}
     */
    LookasideInfo setDepth(int address, int depth);

    /**
     * One tick of the balance-set manager ({@code ExAdjustLookasideDepth}): scans the non-paged lists,
     * the paged lists or (every third tick) nothing else, in NT's round robin, so each list is tuned
     * every 3 ticks. The scheduled service calls this once a second; tests call it by hand.
     */
    void adjustLookasideDepth();

    /**
     * Where a bug check found while tuning a list goes (NT's {@code 0xCE} for a list whose header
     * was freed or unloaded): to the host, as the list owner's fault. The tuner goes on.
     */
    void setFaultHandler(BiConsumer<Owner, BugCheck> handler);

    // ---- implementations (since 1.1)

    /** The registered implementations, the default ({@code nt}) first, then in registration order. */
    List<LookasideProvider> providers();

    /**
     * Registers an implementation: from then on a driver facade of the returned provider makes its lists with
     * {@code policy}.
     *
     * @return the executive's provider for it
     * @throws IllegalArgumentException when an implementation of that name is registered (naming it); nothing changes
     */
    LookasideProvider register(LookasidePolicy policy);

    /**
     * Unregisters an idle implementation ({@code kd:allocators remove}).
     *
     * @throws IllegalStateException naming the drivers whose lists it serves, when it serves any; or when
     *                               {@code name} is the built-in {@code nt}. Nothing changes.
     * @throws java.util.NoSuchElementException naming the registered ones, when none is called {@code name}
     */
    void unregister(String name);

    /**
     * Retires an implementation that cannot stay (its bundle is going: OSGi has no veto): its providers make no
     * new lists from now on (an initialize through them is refused, naming it); the lists it serves keep working
     * until deleted or purged; it is unregistered when the last one goes — at once if it serves none — and then
     * {@code whenGone} runs (on the thread that deleted or purged the last list).
     *
     * @return the lists it still serves, for the report that names their drivers
     * @throws IllegalStateException when {@code name} is the built-in {@code nt}
     * @throws java.util.NoSuchElementException naming the registered ones, when none is called {@code name}
     */
    List<LookasideInfo> retire(String name, Runnable whenGone);
}
