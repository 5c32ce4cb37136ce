package dev.ringzero.spi.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A registered lookaside implementation as the host uses it: made by the executive for each
 * {@link LookasidePolicy} it registers ({@link LookasideRegistry#register}), not implemented by allocator
 * authors (they write a {@link LookasidePolicy}). The host selects one by name, configuration or service
 * ranking; {@link #forDriver} is the driver's facade, the executive's routines with new lists made by this
 * implementation's policy. A list stays with the implementation that made it until it is deleted.
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
