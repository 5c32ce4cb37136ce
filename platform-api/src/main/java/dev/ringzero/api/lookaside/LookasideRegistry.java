package dev.ringzero.api.lookaside;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
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
     */
    String render(int address);

    /** {@code !lookaside} over every live list, with the non-paged / paged totals. */
    String renderAll();

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
}
