package dev.ringzero.host.felix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import dev.ringzero.api.RingzeroDriver;

/**
 * The {@code drivers/} folder's lines on a bare Felix framework, with FileInstall's messages sent the way its
 * {@code java.util.logging} logger sends them: one line for each bad jar and each removal, none twice.
 */
class DeployFolderTest {

    private static final String CONTRACT = " (a driver may import only dev.ringzero.api, dev.ringzero.api.lookaside,"
            + " dev.ringzero.api.memory and the JDK's packages)";

    @TempDir
    Path tmp;

    private Framework framework;
    private Path drivers;
    private DeployFolder folder;
    private final BlockingQueue<String> arriving = new LinkedBlockingQueue<>();
    /** The lines taken from {@link #arriving} so far, the marks' lines left out. */
    private final List<String> lines = new ArrayList<>();
    private int marks;

    @BeforeEach
    void start() throws Exception {
        drivers = Files.createDirectories(tmp.resolve("drivers"));
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, tmp.resolve("felix").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.init();
        folder = new DeployFolder(framework.getBundleContext(), drivers, Duration.ofMillis(50));
        folder.catchFileInstallMessages();
        framework.start();
    }

    @AfterEach
    void stop() throws Exception {
        folder.close();
        framework.stop();
        framework.waitForStop(10_000);
    }

    private static void fileInstallSays(String message, Throwable thrown) {
        LogRecord r = new LogRecord(Level.WARNING, message);
        r.setThrown(thrown);
        Logger.getLogger(DeployFolder.FILEINSTALL_LOGGER).log(r);
    }

    /**
     * Takes lines until there are {@code count}, then lets the folder look three more times and checks that no other
     * line came: an empty jar dropped after the previous mark's line is a line of a later look, so the looks between
     * the first mark and the third ran whole.
     */
    private void await(int count) throws Exception {
        while (lines.size() < count) {
            lines.add(next("line " + (lines.size() + 1)));
        }
        for (int i = 0; i < 3; i++) {
            Path mark = Files.write(drivers.resolve("mark-" + (++marks) + ".jar"), new byte[0]);
            assertThat(next("the line of " + mark.getFileName())).as("the next line after %s", lines)
                    .startsWith("drivers/: corrupt jar: " + mark.toAbsolutePath() + " (");
        }
    }

    private String next(String what) throws InterruptedException {
        String line = arriving.poll(20, TimeUnit.SECONDS);
        assertThat(line).as("%s within 20 s, after %s", what, lines).isNotNull();
        return line;
    }

    @Test
    void aJarThatIsNoDriverBundleShouldBeOneLineAndItsRemovalAnother() throws Exception {
        folder.open(arriving::add);
        Path empty = Files.write(drivers.resolve("empty.jar"), new byte[0]);

        await(1);
        assertThat(lines.getFirst()).isEqualTo("drivers/: corrupt jar: " + empty.toAbsolutePath() + " (zip file is empty); not loaded");

        Files.delete(empty);
        await(2);
        assertThat(lines.get(1)).isEqualTo("drivers/: " + empty.toAbsolutePath() + " removed; it was never loaded");
    }

    @Test
    void aBundleThatDoesNotStartShouldBeOneLineNamingTheMissingPackageOnceAndItsRemovalAnother() throws Exception {
        Path jar = bundle(drivers.resolve("unresolvable.jar"), "com.example.missing;version=\"[1,2)\"");
        Bundle b = framework.getBundleContext().installBundle(jar.toUri().normalize().toString());
        BundleException failure = catchThrowableOfType(BundleException.class, b::start);
        // what FileInstall logs, said before the host opened (its first look runs while the platform starts)
        fileInstallSays("Error while starting bundle: " + b.getLocation(), failure);
        folder.open(arriving::add);
        fileInstallSays("Error while starting bundle: " + b.getLocation(), failure);   // its retry after another install

        await(1);
        assertThat(lines.getFirst()).isEqualTo("drivers/: cannot load " + jar.toAbsolutePath()
                + ": refused: it imports package com.example.missing" + CONTRACT + "; not loaded");

        b.uninstall();
        await(2);
        assertThat(lines.get(1)).isEqualTo("drivers/: " + jar.toAbsolutePath() + " removed; its driver was not loaded");
    }

    @Test
    void anyOtherFileInstallMessageShouldBeOneLineWithoutItsStackTrace() throws Exception {
        folder.open(arriving::add);
        fileInstallSays("Failed to install artifact: /somewhere/x.jar",
                new BundleException("Bundle symbolic name and version are not unique: x:1.0.0\n\tmore detail"));

        await(1);
        assertThat(lines.getFirst()).isEqualTo("drivers/: FileInstall: Failed to install artifact: /somewhere/x.jar:"
                + " Bundle symbolic name and version are not unique: x:1.0.0");
    }

    /** A driver bundle importing {@code imports}; the entry class is never loaded here. */
    private static Path bundle(Path file, String imports) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "test.unresolvable");
        a.putValue("Import-Package", imports);
        a.putValue(RingzeroDriver.HEADER, "x.Unresolvable");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream zip = new JarOutputStream(out, m)) {
            zip.flush();
        }
        return file;
    }
}
