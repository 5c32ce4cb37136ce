package dev.ringzero.host.felix;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Requirement;
import dev.ringzero.host.manifest.DriverContract;

/**
 * Why a driver-level bundle does not resolve, in one line: the wires it asks for beyond the driver contract
 * ({@link DriverContract}), else the packages it imports that nothing exports — instead of Felix's resolver dump ({@code Unable to resolve ... missing requirement ... Unresolved requirements: ...}).
 */
final class Unresolved {

    /**
     * The package named in a package requirement's filter, as the OSGi core specification writes it
     * ({@code (&(osgi.wiring.package=NAME)(version>=...))}); a requirement carries its package only there.
     */
    private static final Pattern PACKAGE = Pattern.compile("\\(" + Pattern.quote(PackageNamespace.PACKAGE_NAMESPACE) + "=([^)]+)\\)");

    private Unresolved() {
    }

    /**
     * {@code no bundle exports package com.example.missing, com.example.other}, or, when the start failed
     * for another reason, the framework's own message.
     */
    static String why(Bundle bundle, FrameworkWiring wiring, BundleException e) {
        // a driver-level bundle (only those come here) that reaches beyond the driver contract: DriverWiring refused
        // its wires (a static import: it does not resolve; a dynamic one: its class, an activator's, is not found)
        java.util.Optional<String> refused = DriverContract.refusal(bundle.getHeaders(""));
        if (refused.isPresent()) {
            return refused.get();
        }
        if (e.getType() == BundleException.RESOLVE_ERROR) {
            List<String> missing = missingPackages(bundle, wiring);
            if (!missing.isEmpty()) {
                return "its Import-Package cannot be resolved: no bundle exports package " + String.join(", ", missing);
            }
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** The mandatory imports of {@code bundle} that no installed bundle (the system bundle included) provides. */
    static List<String> missingPackages(Bundle bundle, FrameworkWiring wiring) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return missing;
        }
        for (Requirement r : revision.getRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (Constants.RESOLUTION_OPTIONAL.equals(r.getDirectives().get(Constants.RESOLUTION_DIRECTIVE))
                    || !wiring.findProviders(r).isEmpty()) {
                continue;
            }
            Matcher m = PACKAGE.matcher(r.getDirectives().getOrDefault(Constants.FILTER_DIRECTIVE, ""));
            missing.add(m.find() ? m.group(1) : r.toString());
        }
        return missing;
    }
}
