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
 * The {@code magazine} lookaside implementation: NT's lists, header and counters in the caller's memory,
 * with magazines striped by thread in front of the header's S-list, so the common allocate and free execute
 * no locked instruction, on platform and virtual threads alike ({@link MagazineLookasideList}). Service
 * ranking {@value #SERVICE_RANKING}, below {@code nt}'s, so {@code nt} stays the default; a host selects
 * {@code magazine} by name ({@code lookaside.implementation=magazine}).
 *
 * <p>Made three ways, as {@link NtLookasideProvider} is: by {@link LookasideSystem#providers()}; by
 * Declarative Services with a reference to the {@link LookasideSystem} component; or by
 * {@link java.util.ServiceLoader} with the no-argument constructor, serving the system of each caller's
 * address space.
 */
@Component(service = LookasideProvider.class,
        property = {"lookaside.implementation=" + MagazineLookasideList.NAME,
                "service.ranking:Integer=" + MagazineLookasideProvider.SERVICE_RANKING})
public final class MagazineLookasideProvider extends SystemBoundProvider {

    /** Below {@link NtLookasideProvider#SERVICE_RANKING}: {@code nt} is the default. */
    public static final int SERVICE_RANKING = 50;

    /** For {@link java.util.ServiceLoader}: serves the system of each caller's address space. */
    public MagazineLookasideProvider() {
        super(null, MagazineLookasideList.NAME);
    }

    /** Bound to {@code system}; the DS constructor. */
    @Activate
    public MagazineLookasideProvider(@Reference(name = "system") LookasideSystem system) {
        super(Objects.requireNonNull(system, "system"), MagazineLookasideList.NAME);
    }

    @Override
    LookasideLists newLists(LookasideSystem system, Owner owner, PoolAllocator pool) {
        return new MagazineLookasideLists(system, owner, pool);
    }
}
