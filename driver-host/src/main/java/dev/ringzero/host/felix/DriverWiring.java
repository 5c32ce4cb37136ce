package dev.ringzero.host.felix;

import java.util.Collection;
import org.osgi.framework.BundleContext;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import dev.ringzero.host.manifest.DriverContract;

/**
 * The resolver hook that wires driver-level bundles ({@link BundleTrust}) to the driver contract and the JDK
 * only ({@link DriverContract}): a package candidate outside it is taken away, so the import does not resolve
 * (a static import: the bundle does not start; a dynamic one: its class is not found). A driver-level bundle may
 * also import a package it exports itself, and attach as a fragment only to another driver-level bundle;
 * {@code Require-Bundle} wires it to nothing. Registered through the system bundle before any bundle resolves, so
 * the manifest check before a load ({@link DriverJar#inspect}) cannot be sidestepped by a wire made later.
 */
final class DriverWiring implements ResolverHookFactory {

    private final BundleTrust trust;

    private DriverWiring(BundleTrust trust) {
        this.trust = trust;
    }

    static void register(BundleContext systemContext, BundleTrust trust) {
        systemContext.registerService(ResolverHookFactory.class, new DriverWiring(trust), null);
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                // every bundle may resolve; what it may wire to is decided below
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisionCandidates) {
                // singletons are not the contract's business
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                BundleRevision requirer = requirement.getRevision();
                if (requirer != null && trust.isAllocatorLevel(requirer.getBundle())) {   // issue 21: allocators/
                    AllocatorBundles.filterWires(requirer, requirement, candidates);
                    return;
                }
                if (requirer == null || !trust.isDriverLevel(requirer.getBundle())) {
                    return;
                }
                switch (requirement.getNamespace()) {
                    case PackageNamespace.PACKAGE_NAMESPACE -> candidates.removeIf(c -> !allowedPackage(requirer, c));
                    case BundleNamespace.BUNDLE_NAMESPACE -> candidates.clear();
                    case HostNamespace.HOST_NAMESPACE -> candidates.removeIf(c -> !trust.isDriverLevel(c.getRevision().getBundle()));
                    default -> {
                        // osgi.ee, osgi.identity, osgi.extender, ...: nothing to reach through
                    }
                }
            }

            @Override
            public void end() {
            }
        };
    }

    private static boolean allowedPackage(BundleRevision requirer, BundleCapability candidate) {
        if (candidate.getRevision().getBundle() == requirer.getBundle()) {
            return true;   // its own export, imported back (bnd's substitutable exports)
        }
        return candidate.getRevision().getBundle().getBundleId() == 0
                && candidate.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE) instanceof String pkg
                && DriverContract.allows(pkg);
    }
}
