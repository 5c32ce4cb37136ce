package dev.ringzero.host.felix;

import dev.ringzero.api.RingzeroDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * A driver bundle on disk, checked before it goes near the framework: a readable jar whose manifest
 * names a bundle ({@code Bundle-SymbolicName}) and a driver ({@link RingzeroDriver#HEADER}: the entry class,
 * optionally {@link RingzeroDriver#NAME_HEADER}: the service name, else the entry class's simple name). bnd writes
 * both from {@code @RingzeroDriver}; a bundle whose headers were written by hand loads the same way.
 *
 * @param path         the jar
 * @param symbolicName its {@code Bundle-SymbolicName}, without directives
 * @param entryClass   the class implementing {@link dev.ringzero.api.Driver}
 * @param driverName   the driver's service name ({@code LookasideList})
 */
public record DriverJar(Path path, String symbolicName, String entryClass, String driverName) {

    /** The manifest header naming a driver bundle's entry class. */
    public static final String DRIVER_HEADER = RingzeroDriver.HEADER;
    /** The manifest header naming the driver's service name. */
    public static final String DRIVER_NAME_HEADER = RingzeroDriver.NAME_HEADER;

    /**
     * Reads {@code jar}'s manifest.
     *
     * @throws HostException ({@link HostException.Kind#USAGE}) naming the file and what is wrong with it
     */
    public static DriverJar inspect(Path jar) throws HostException {
        if (!Files.exists(jar)) {
            throw usage("no such file: " + jar);
        }
        if (!Files.isRegularFile(jar)) {
            throw usage("not a jar file: " + jar + " (not a regular file)");
        }
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (ZipException e) {
            throw usage("corrupt jar: " + jar + " (" + e.getMessage() + ")");
        } catch (IOException | SecurityException e) {
            throw usage("cannot read " + jar + ": " + e.getMessage());
        }
        if (manifest == null) {
            throw usage("not a driver bundle: " + jar + " (it has no META-INF/MANIFEST.MF)");
        }
        Attributes main = manifest.getMainAttributes();
        String bsn = main.getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw usage("not a driver bundle: " + jar + " (its manifest has no Bundle-SymbolicName: not an OSGi bundle)");
        }
        String entry = main.getValue(DRIVER_HEADER);
        if (entry == null || entry.isBlank()) {
            throw usage("not a driver bundle: " + jar + " (its manifest has no " + DRIVER_HEADER + " header)");
        }
        entry = entry.strip();
        String name = driverName(main.getValue(DRIVER_NAME_HEADER), entry);
        int semicolon = bsn.indexOf(';');
        return new DriverJar(jar, (semicolon < 0 ? bsn : bsn.substring(0, semicolon)).strip(), entry, name);
    }

    /**
     * The one line refusing this jar when its manifest wires beyond the driver contract ({@link DriverContract}),
     * or empty.
     *
     * @throws HostException ({@link HostException.Kind#USAGE}) when the jar cannot be read again
     */
    java.util.Optional<String> contractRefusal() throws HostException {
        try (JarFile file = new JarFile(path.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest == null ? java.util.Optional.empty() : DriverContract.refusal(manifest.getMainAttributes());
        } catch (IOException | SecurityException e) {
            throw usage("cannot read " + path + ": " + e.getMessage());
        }
    }

    /** The service name: {@link #DRIVER_NAME_HEADER}, else the entry class's simple name. */
    static String driverName(String header, String entryClass) {
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        return entryClass.substring(entryClass.lastIndexOf('.') + 1);
    }

    private static HostException usage(String message) {
        return new HostException(HostException.Kind.USAGE, message);
    }
}
