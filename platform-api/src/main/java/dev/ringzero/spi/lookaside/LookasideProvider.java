package dev.ringzero.spi.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A lookaside-list implementation: a service the host selects by name, configuration or service
 * ranking. New lists are made by the selected implementation; a list stays with the implementation
 * that made it until it is deleted.
 */
@ProviderType
public interface LookasideProvider {

    /** {@code nt}, {@code magazine}, ... */
    String name();

    /**
     * The lookaside routines as {@code owner} sees them; {@code pool} is the owner's own pool view,
     * used as the default Allocate/Free routines and to resolve header addresses.
     */
    LookasideLists forDriver(Owner owner, PoolAllocator pool);

    /** The lists this implementation serves now. */
    java.util.List<LookasideInfo> lists();
}
