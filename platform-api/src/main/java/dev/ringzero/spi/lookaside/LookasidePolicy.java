package dev.ringzero.spi.lookaside;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A lookaside implementation as its author writes it: a name and the caching policy of each list it
 * serves. Everything else — the driver's routines and their argument and IRQL rules, the header's
 * initialization, ownership, the system-wide list and its lock, the pool block's lookaside mark, the
 * balance-set manager, {@code !lookaside}, the verifier's checks, the bug checks for misuse, delete — is the
 * executive's, the same for every implementation.
 *
 * <h2>Registration</h2>
 * By {@link #name()}, unique in a host:
 * <ul>
 *   <li>on a module path (the in-process host, the driver test kit, benchmarks): {@link java.util.ServiceLoader},
 *       {@code provides dev.ringzero.spi.lookaside.LookasidePolicy with my.Policy;} in the implementation's
 *       {@code module-info.java} (and {@code META-INF/services/dev.ringzero.spi.lookaside.LookasidePolicy} for the
 *       class path). The executive loads every one it finds when it is assembled;</li>
 *   <li>in OSGi: a service of this type registered by the implementation's bundle (a Declarative Services
 *       component, service property {@code lookaside.implementation=<name>}); the host tracks it and hands it to
 *       {@link LookasideRegistry#register(LookasidePolicy)}.</li>
 * </ul>
 * An implementation bundle imports {@code dev.ringzero.api.*} and {@code dev.ringzero.spi.*} only.
 *
 * <p>The built-in {@code nt} is one of these, inside the executive; {@code magazine} is another, in its own
 * bundle. The contract suite an implementation must pass is the {@code allocator-tck} artifact.
 */
@ConsumerType
public interface LookasidePolicy {

    /** {@code nt}, {@code magazine}, ...: how hosts, {@code !lookaside} and {@code kd:allocators} name it. */
    String name();

    /**
     * The policy of a list being initialized. Called once per list by the executive, under its registry's lock,
     * after the header is written ({@code Depth}, {@code Size}, ... readable through
     * {@link LookasideListHandle#header()}) and before the list is published: no other thread can reach the list
     * yet. Must not call back into the registry.
     */
    LookasideCache newCache(LookasideListHandle list);
}
