package dev.ringzero.magazine;

import dev.ringzero.spi.lookaside.LookasideCache;
import dev.ringzero.spi.lookaside.LookasideListHandle;
import dev.ringzero.spi.lookaside.LookasidePolicy;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code magazine} lookaside implementation: NT's lists, header and counters in the caller's memory,
 * with magazines striped by thread in front of the header's S-list, so the common allocate and free execute
 * no locked instruction, on platform and virtual threads alike ({@link MagazineLookasideList}). Supplies only the
 * caching policy; the executive does the rest.
 *
 * <p>Registered two ways: found by {@link java.util.ServiceLoader} on the module path ({@code provides} in
 * {@code module-info.java}), and as a Declarative Services component of service type {@link LookasidePolicy} when
 * this jar is a bundle in a framework. Never the default: a host selects it by name.
 */
@Component(service = LookasidePolicy.class, property = "lookaside.implementation=" + MagazineLookasideList.NAME)
public final class MagazinePolicy implements LookasidePolicy {

    @Override
    public String name() {
        return MagazineLookasideList.NAME;
    }

    @Override
    public LookasideCache newCache(LookasideListHandle list) {
        return new MagazineLookasideList(list);
    }

    @Override
    public String toString() {
        return "lookaside policy " + MagazineLookasideList.NAME;
    }
}
