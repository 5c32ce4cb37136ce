package dev.ringzero.distribution;

import dev.ringzero.api.Driver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Builds bundles at test time from compiled test classes: a driver bundle (bundle manifest, imports of
 * the API packages, {@code Ringzero-Driver} headers) around one driver class, or a bundle with no
 * driver in it. The driver headers are written by hand, as bnd wrote them from {@code @Header}s before
 * {@code @RingzeroDriver}: every test that loads one of these shows that such a bundle still loads.
 */
final class TestBundles {

    /** What a driver bundle imports: the driver contract of API 2, from the system bundle. */
    static final String API_IMPORTS = "dev.ringzero.api;version=\"[1.0,2)\",dev.ringzero.api.memory;version=\"[2.0,3)\","
            + "dev.ringzero.api.lookaside;version=\"[2.0,3)\"";

    /** What bnd wrote for a driver built against API 1 (LookasideList's manifest before the API split). */
    static final String API_1_IMPORTS = "dev.ringzero.api;version=\"[1.3,2)\",dev.ringzero.api.lookaside;version=\"[1.2,2)\","
            + "dev.ringzero.api.memory;version=\"[1.3,2)\"";

    private TestBundles() {
    }

    /**
     * A driver bundle {@code test.driver.<name>} holding {@code driver} (and its nested classes), importing
     * the API and {@code extraImports}.
     */
    static Path driverBundle(Path dir, Class<? extends Driver> driver, String... extraImports) throws IOException {
        String name = driver.getSimpleName();
        Manifest m = manifest("test.driver." + name.toLowerCase());
        m.getMainAttributes().putValue("Import-Package",
                extraImports.length == 0 ? API_IMPORTS : API_IMPORTS + "," + String.join(",", extraImports));
        m.getMainAttributes().putValue("Ringzero-Driver", driver.getName());
        m.getMainAttributes().putValue("Ringzero-Driver-Name", name);
        return write(dir.resolve(name + ".jar"), m, driver);
    }

    /**
     * Test only: a bundle holding {@link dev.ringzero.distribution.swap.DelegatingLookasideProvider}, a second
     * lookaside implementation registered by its activator. It imports the provider SPI and the framework and uses the
     * registry, as only a trusted bundle may: write it under the host's {@code system/}
     * ({@link Distribution#settingsWithOwnSystemFolder}).
     */
    static Path lookasideProviderBundle(Path dir) throws IOException {
        Manifest m = manifest("test.lookaside.delegating");
        m.getMainAttributes().putValue("Import-Package", API_IMPORTS + ",dev.ringzero.spi.lookaside;version=\"[1.0,1.1)\","
                + "org.osgi.framework;version=\"[1.10,2)\"");
        m.getMainAttributes().putValue("Bundle-Activator", dev.ringzero.distribution.swap.DelegatingLookasideProvider.class.getName());
        return write(dir.resolve("delegating-lookaside.jar"), m, dev.ringzero.distribution.swap.DelegatingLookasideProvider.class);
    }

    /**
     * A driver bundle {@code <file>} holding {@code type} (and its nested classes), whose headers name
     * {@code entryClass} and the driver {@code driverName}, importing the API and {@code extraImports}.
     */
    static Path driverBundle(Path dir, String file, Class<?> type, String entryClass, String driverName,
                             String... extraImports) throws IOException {
        Manifest m = manifest("test.badjar." + file.replace(".jar", "").replaceAll("[^A-Za-z0-9]", "."));
        m.getMainAttributes().putValue("Import-Package",
                extraImports.length == 0 ? API_IMPORTS : API_IMPORTS + "," + String.join(",", extraImports));
        m.getMainAttributes().putValue("Ringzero-Driver", entryClass);
        m.getMainAttributes().putValue("Ringzero-Driver-Name", driverName);
        return write(dir.resolve(file), m, type);
    }

    /**
     * A driver bundle {@code <file>} holding {@code driver} (and its nested classes) under the service name
     * {@code driverName}, with hand-written driver headers and exactly {@code imports} as its {@code Import-Package}.
     */
    static Path driverBundleImporting(Path dir, String file, Class<? extends Driver> driver, String driverName,
                                      String imports) throws IOException {
        Manifest m = manifest("test.imports." + file.replace(".jar", "").replaceAll("[^A-Za-z0-9]", "."));
        m.getMainAttributes().putValue("Import-Package", imports);
        m.getMainAttributes().putValue("Ringzero-Driver", driver.getName());
        m.getMainAttributes().putValue("Ringzero-Driver-Name", driverName);
        return write(dir.resolve(file), m, driver);
    }

    /** A jar with a manifest but no bundle headers: a plain library, not an OSGi bundle. */
    static Path plainJar(Path dir, String file) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        return write(dir.resolve(file), m, dev.ringzero.distribution.drivers.GoodDriver.class);
    }

    /** A bundle whose {@code Ringzero-Driver} header names a class it does not contain. */
    static Path driverBundleWithMissingEntryClass(Path dir, String entryClass) throws IOException {
        Manifest m = manifest("test.driver.missing");
        m.getMainAttributes().putValue("Import-Package", API_IMPORTS);
        m.getMainAttributes().putValue("Ringzero-Driver", entryClass);
        m.getMainAttributes().putValue("Ringzero-Driver-Name", "Missing");
        return write(dir.resolve("missing-entry.jar"), m, dev.ringzero.distribution.drivers.GoodDriver.class);
    }

    /**
     * A bundle that is no driver, {@code test.activator.<name>}, whose {@code activator} starts it, importing nothing
     * but asking for any package dynamically ({@code DynamicImport-Package: *}): its activator's interface,
     * {@code org.osgi.framework.BundleActivator}, can only come through a dynamic import.
     */
    static Path dynamicActivatorBundle(Path dir, Class<?> activator) throws IOException {
        Manifest m = manifest("test.activator." + activator.getSimpleName().toLowerCase());
        m.getMainAttributes().putValue("DynamicImport-Package", "*");
        m.getMainAttributes().putValue("Bundle-Activator", activator.getName());
        return write(dir.resolve(activator.getSimpleName() + ".jar"), m, activator);
    }

    /** A bundle with a class in it but no {@code Ringzero-Driver} header: a library, not a driver. */
    static Path plainBundle(Path dir, String symbolicName) throws IOException {
        Manifest m = manifest(symbolicName);
        m.getMainAttributes().putValue("Import-Package", API_IMPORTS);
        return write(dir.resolve(symbolicName + ".jar"), m, dev.ringzero.distribution.drivers.GoodDriver.class);
    }

    /** Bytes that are no zip at all, under a {@code .jar} name. */
    static Path corruptJar(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve("corrupt.jar"), "PK\u0003\u0004 this is not a jar".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static Manifest manifest(String symbolicName) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        return m;
    }

    /** As {@link #driverBundle}, with the helper classes {@code with} (same package; their nested classes too) inside. */
    static Path driverBundleWith(Path dir, Class<? extends Driver> driver, Class<?>... with) throws IOException {
        Path jar = driverBundle(dir, driver);
        Manifest m;
        try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
            m = f.getManifest();
        }
        return write(jar, m, driver, with);
    }

    private static Path write(Path jar, Manifest manifest, Class<?> type, Class<?>... with) throws IOException {
        Files.createDirectories(jar.getParent());
        Path classes = classesDir(type);
        String pkg = type.getPackageName().replace('.', '/');
        List<String> simpleNames = Stream.concat(Stream.of(type), Stream.of(with)).map(Class::getSimpleName).toList();
        List<Path> files;
        try (Stream<Path> list = Files.list(classes.resolve(pkg))) {
            files = list.filter(p -> {
                String f = p.getFileName().toString();
                return simpleNames.stream().anyMatch(simple -> f.equals(simple + ".class") || f.startsWith(simple + "$"));
            }).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(pkg + "/" + f.getFileName()));
                try (InputStream in = Files.newInputStream(f)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static Path classesDir(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
