package dev.ringzero.lookaside;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.lookaside.LookasideProvider;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code nt} lookaside implementation: NT's lists, header and counters in the caller's memory,
 * one CAS per allocate or free ({@link NtLookasideList}). The default implementation: service ranking
 * {@value #SERVICE_RANKING}.
 *
 * <p>Made three ways: by {@link LookasideSystem#providers()} (bound to that system); by Declarative
 * Services with a reference to the {@link LookasideSystem} component; or by {@link java.util.ServiceLoader}
 * with the no-argument constructor, in which case each {@link #forDriver} call finds the system of the
 * address space its pool view belongs to ({@link LookasideSystem#create} must have been called for it).
 */
@Component(service = LookasideProvider.class,
        property = {"lookaside.implementation=" + NtLookasideList.NAME,
                "service.ranking:Integer=" + NtLookasideProvider.SERVICE_RANKING})
public final class NtLookasideProvider extends SystemBoundProvider {

    /** Above the {@code magazine} implementation's, so {@code nt} is the default. */
    public static final int SERVICE_RANKING = 100;

    /** For {@link java.util.ServiceLoader}: serves the system of each caller's address space. */
    public NtLookasideProvider() {
        super(null, NtLookasideList.NAME);
    }

    /** Bound to {@code system}; the DS constructor. */
    @Activate
    public NtLookasideProvider(@Reference(name = "system") LookasideSystem system) {
        super(Objects.requireNonNull(system, "system"), NtLookasideList.NAME);
    }

    @Override
    LookasideLists newLists(LookasideSystem system, Owner owner, PoolAllocator pool) {
        return new NtLookasideLists(system, owner, pool);
    }
}
