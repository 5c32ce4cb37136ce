package dev.ringzero.host.manifest;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;

/**
 * What a bundle of {@code allocators/} — trust level 2b of docs/decisions/0001 — may wire to: the driver contract
 * ({@link DriverContract}), the JDK, and the provider SPI ({@value #SPI_PREFIX}…). Not the OSGi framework (an
 * implementation registers its service with Declarative Services, whose annotations need no import), not the
 * executive, the host or the debugger's service package, not another bundle.
 *
 * <p>Held as the driver contract is: {@link DriverWiring} refuses every other wire of such a bundle, and
 * {@link AllocatorBundles} says so in one line when the jar is dropped there.
 */
public final class AllocatorContract {

    /** The provider SPI's packages (dev.ringzero.spi.lookaside, dev.ringzero.spi.memory, ...). */
    static final String SPI_PREFIX = "dev.ringzero.spi.";

    private AllocatorContract() {
    }

    /** Whether an allocator bundle may wire to {@code pkg}. */
    public static boolean allows(String pkg) {
        return DriverContract.allows(pkg) || pkg.startsWith(SPI_PREFIX);
    }

    /** The contract in words, for the line that refuses a jar. */
    public static String describe() {
        return "an allocator may import only the driver contract's packages, " + SPI_PREFIX + "* and the JDK's";
    }

    /**
     * The one line refusing an allocator bundle ({@code refused: it imports package org.osgi.framework (an
     * allocator may import only ...)}), or empty when its headers stay within the contract.
     */
    public static Optional<String> refusal(Dictionary<String, String> headers) {
        List<String> outside = new ArrayList<>();
        for (String header : List.of("Import-Package", "DynamicImport-Package")) {
            String value = headers.get(header);
            if (value == null || value.isBlank()) {
                continue;
            }
            for (String clause : ApiPackages.splitClauses(value)) {
                for (String part : clause.split(";")) {
                    String pkg = part.strip();
                    if (pkg.isEmpty() || pkg.contains("=")) {
                        continue;   // an attribute or directive
                    }
                    if (pkg.contains("*")) {
                        return Optional.of(line("has " + header + " '" + pkg + "', which may wire to any package"));
                    }
                    if (!allows(pkg)) {
                        outside.add(pkg);
                    }
                }
            }
            if (!outside.isEmpty()) {
                return Optional.of(line((header.startsWith("Dynamic") ? "imports dynamically" : "imports")
                        + (outside.size() == 1 ? " package " : " packages ") + String.join(", ", outside)));
            }
        }
        for (String header : List.of("Require-Bundle", "Fragment-Host")) {
            String value = headers.get(header);
            if (value != null && !value.isBlank()) {
                return Optional.of(line("has " + header + ": " + value.strip()));
            }
        }
        return Optional.empty();
    }

    private static String line(String what) {
        return "refused: it " + what + " (" + describe() + ")";
    }
}
