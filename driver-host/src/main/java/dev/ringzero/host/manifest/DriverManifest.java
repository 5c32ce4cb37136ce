package dev.ringzero.host.manifest;

import dev.ringzero.api.RingzeroDriver;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;

/**
 * What a driver bundle's manifest says, read once: the entry class ({@link RingzeroDriver#HEADER}), the service
 * name ({@link RingzeroDriver#NAME_HEADER}, else the entry class's simple name) and whether its wiring stays
 * inside the driver contract ({@link DriverContract}). Read from the jar before it is installed
 * ({@link DriverJar#inspect}) or from an installed bundle's headers (a hot-deployed one), it travels on to the
 * extender and the load; nothing reads the manifest again.
 *
 * @param entryClass the class implementing {@link dev.ringzero.api.Driver}
 * @param driverName the driver's service name ({@code LookasideList})
 * @param refusal    the one line refusing the driver because it wires beyond the driver contract, or empty
 */
public record DriverManifest(String entryClass, String driverName, Optional<String> refusal) {

    /** The headers the contract check reads. */
    private static final List<String> WIRING = List.of("Import-Package", "DynamicImport-Package", "Require-Bundle", "Fragment-Host");

    /**
     * Reads a manifest's main headers, looked up by name ({@code Attributes::getValue}, {@code Dictionary::get}).
     *
     * @return empty when no {@link RingzeroDriver#HEADER} names an entry class: not a driver bundle
     */
    public static Optional<DriverManifest> read(UnaryOperator<String> header) {
        String entry = header.apply(RingzeroDriver.HEADER);
        if (entry == null || entry.isBlank()) {
            return Optional.empty();
        }
        entry = entry.strip();
        Attributes wiring = new Attributes();
        for (String h : WIRING) {
            String v = header.apply(h);
            if (v != null) {
                wiring.putValue(h, v);
            }
        }
        return Optional.of(new DriverManifest(entry, driverName(header.apply(RingzeroDriver.NAME_HEADER), entry),
                DriverContract.refusal(wiring)));
    }

    /** The service name: {@link RingzeroDriver#NAME_HEADER}, else the entry class's simple name. */
    static String driverName(String header, String entryClass) {
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        return entryClass.substring(entryClass.lastIndexOf('.') + 1);
    }
}
