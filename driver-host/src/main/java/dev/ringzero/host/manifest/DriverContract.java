package dev.ringzero.host.manifest;

import dev.ringzero.api.Driver;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.library.LookasideLibrary;
import dev.ringzero.spi.lookaside.LookasideProvider;
import dev.ringzero.spi.memory.ExecutivePool;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.stream.Collectors;

/**
 * What a driver bundle may wire to — the one place that says it: the packages of the driver contract (the
 * platform API drivers are written against) and the JDK's. Nothing else: not the OSGi framework, Felix, SCR,
 * the executive, the provider SPI, the debugger's service package, another bundle. A driver gets its services
 * from its {@code DriverObject}, never from the OSGi registry.
 *
 * <p>Two checks hold it: {@link #violation} reads a driver jar's manifest before the framework sees it (the
 * extender's check, {@link DriverJar#inspect}: one line naming the package, exit code 2 for {@code ringzero
 * run}); {@link DriverWiring}, a resolver hook, refuses every wire a driver-level bundle would make outside the
 * contract — static imports and the dynamic ones resolved later alike.
 *
 * <p>A driver within the contract may still be built against another major version of it than the host's
 * ({@link ApiVersions}: API 1 drivers must be rebuilt against API 2); {@link #refusal} says that too, before Felix's
 * resolver would say it in its own words.
 *
 * <p>Bundles from the trusted folders ({@link BundleTrust}: {@code system/}, the shell and FileInstall with it)
 * are not held to it: a package meant for them only (the kd shell's debugger service package, the provider SPI
 * after the API split) is simply left out of {@link #API_PACKAGES}.
 */
public final class DriverContract {

    /** The platform API's packages a driver may import. */
    static final Set<String> API_PACKAGES = Set.of(Driver.class.getPackageName(), PoolAllocator.class.getPackageName(),
            LookasideLists.class.getPackageName());

    /** The provider SPI's packages: what the executive and allocators implement; named as such when a driver imports one. */
    static final Set<String> SPI_PACKAGES = Set.of(ExecutivePool.class.getPackageName(),
            LookasideProvider.class.getPackageName());

    /** The packages the JDK's own modules export (the system bundle exports them to bundles). */
    private static final Set<String> JDK_PACKAGES = ModuleFinder.ofSystem().findAll().stream()
            .map(ModuleReference::descriptor)
            .flatMap(d -> d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source))
            .collect(Collectors.toUnmodifiableSet());

    /** The manifest headers through which a bundle wires to others. */
    private static final List<String> WIRING_HEADERS = List.of("Import-Package", "DynamicImport-Package");

    private DriverContract() {
    }

    /** Whether a driver may wire to {@code pkg}. */
    public static boolean allows(String pkg) {
        return API_PACKAGES.contains(pkg) || JDK_PACKAGES.contains(pkg) || pkg.startsWith("java.");
    }

    /** The contract in words, for the line that refuses a driver. */
    static String describe() {
        return "a driver may import only " + String.join(", ", new TreeSet<>(API_PACKAGES)) + " and the JDK's packages";
    }

    /**
     * The one line that refuses a driver: {@code refused: it imports package org.osgi.framework (a driver may ...)},
     * or, within the contract, {@code refused: it was built against Ringzero API 1 ...} ({@link ApiVersions}).
     */
    static Optional<String> refusal(Attributes manifest) {
        return violation(manifest).map(v -> "refused: it " + v + " (" + describe() + ")")
                .or(() -> ApiVersions.provided().mismatch(manifest).map(v -> "refused: it " + v));
    }

    /** {@link #refusal} for an installed bundle's headers. */
    public static Optional<String> refusal(java.util.Dictionary<String, String> headers) {
        Attributes a = new Attributes();
        for (String h : List.of("Import-Package", "DynamicImport-Package", "Require-Bundle", "Fragment-Host")) {
            String v = headers.get(h);
            if (v != null) {
                a.putValue(h, v);
            }
        }
        return refusal(a);
    }

    /**
     * What in a driver's manifest reaches beyond the contract, as the end of a sentence ({@code "imports package
     * org.osgi.framework"}), or empty when nothing does. A wildcard in {@code DynamicImport-Package} reaches
     * everything; {@code Require-Bundle} and {@code Fragment-Host} wire to a whole bundle.
     */
    static Optional<String> violation(Attributes manifest) {
        List<String> outside = new ArrayList<>();
        for (String header : WIRING_HEADERS) {
            String value = manifest.getValue(header);
            if (value == null || value.isBlank()) {
                continue;
            }
            for (String clause : ApiPackages.splitClauses(value)) {
                for (String pkg : packagesOf(clause)) {
                    if (pkg.contains("*")) {
                        return Optional.of("has " + header + " '" + pkg + "', which may wire to any package");
                    }
                    if (!allows(pkg)) {
                        outside.add(pkg);
                    }
                }
            }
            if (!outside.isEmpty()) {
                return Optional.of((header.startsWith("Dynamic") ? "imports dynamically" : "imports")
                        + (outside.size() == 1 ? " package " + outside.getFirst() + role(outside.getFirst())
                                : " packages " + outside.stream().map(p -> p + shortRole(p)).collect(Collectors.joining(", "))));
            }
        }
        for (String header : List.of("Require-Bundle", "Fragment-Host")) {
            String value = manifest.getValue(header);
            if (value != null && !value.isBlank()) {
                return Optional.of("has " + header + ": " + value.strip() + " (a driver wires to packages of the"
                        + " driver contract only, never to a bundle)");
            }
        }
        return Optional.empty();
    }

    /** What an outside package of the platform API is for, when it is one (the only package refused): a sentence's end. */
    private static String role(String pkg) {
        if (SPI_PACKAGES.contains(pkg)) {
            return ", the provider SPI that the executive and allocators implement";
        }
        return pkg.equals(LookasideLibrary.class.getPackageName())
                ? ", the lookaside library for plain Java code (a driver gets its lists from its DriverObject)" : "";
    }

    /** {@link #role} in a list of several packages. */
    private static String shortRole(String pkg) {
        return SPI_PACKAGES.contains(pkg) ? " (the provider SPI)" : "";
    }

    /** The package names of one clause: {@code a.b;c.d;version="[1,2)"} names {@code a.b} and {@code c.d}. */
    static List<String> packagesOf(String clause) {
        List<String> names = new ArrayList<>();
        for (String part : clause.split(";")) {
            String p = part.strip();
            if (p.isEmpty() || p.contains("=")) {
                continue;   // an attribute or directive
            }
            names.add(p);
        }
        return names;
    }
}
