package dev.ringzero.host.manifest;

import dev.ringzero.api.RingzeroDriver;
import java.util.Optional;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import dev.ringzero.host.launch.HostException;

/**
 * A driver bundle on disk, checked before it goes near the framework: a readable jar whose manifest
 * names a bundle ({@code Bundle-SymbolicName}) and a driver ({@link RingzeroDriver#HEADER}); its manifest read
 * once, into the {@link DriverManifest} the extender and the load go on with.
 *
 * @param path         the jar
 * @param symbolicName its {@code Bundle-SymbolicName}, without directives
 * @param manifest     what its manifest says of the driver
 */
public record DriverJar(Path path, String symbolicName, DriverManifest manifest) {

    /** A jar whose driver wires inside the contract (the form tests compare with). */
    public DriverJar(Path path, String symbolicName, String entryClass, String driverName) {
        this(path, symbolicName, new DriverManifest(entryClass, driverName, Optional.empty()));
    }

    public String entryClass() {
        return manifest.entryClass();
    }

    public String driverName() {
        return manifest.driverName();
    }

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
        DriverManifest driver = DriverManifest.read(main::getValue).orElseThrow(() ->
                usage("not a driver bundle: " + jar + " (its manifest has no " + RingzeroDriver.HEADER + " header)"));
        int semicolon = bsn.indexOf(';');
        return new DriverJar(jar, (semicolon < 0 ? bsn : bsn.substring(0, semicolon)).strip(), driver);
    }

    private static HostException usage(String message) {
        return new HostException(HostException.Kind.USAGE, message);
    }
}
