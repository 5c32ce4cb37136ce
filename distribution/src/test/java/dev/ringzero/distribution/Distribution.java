package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.host.launch.HostSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/** The distribution folder the package phase built ({@code target/ringzero}), and host settings over it. */
final class Distribution {

    private Distribution() {
    }

    static Path home() {
        Path home = Path.of(System.getProperty("ringzero.dist", "target/ringzero")).toAbsolutePath().normalize();
        assertThat(home.resolve("bin/ringzero"))
                .as("the distribution is built in the package phase: run './mvnw verify -pl distribution -am'")
                .isRegularFile();
        return home;
    }

    /** The tutorial's driver, as {@code ringzero run} loads it by default. */
    static Path sample() {
        return home().resolve("samples/lookaside-list-driver.jar");
    }

    /** The distribution's bundles and configuration; logs, storage and deploy folder under {@code tmp}. */
    static HostSettings settings(Path tmp, Transcript transcript) {
        return HostSettings.forHome(home())
                .withDataDir(tmp.resolve("data"))
                .withLogDir(tmp.resolve("log"))
                .withDriversDir(tmp.resolve("drivers"))
                .withConsole(transcript);
    }

    /**
     * As {@link #settings}, with a {@code system/} folder of its own under {@code tmp} (links to the distribution's
     * platform bundles and their sub-folders), so that a test can put a trusted bundle of its own there — one not
     * held to the driver contract, as a platform or allocator bundle — without touching the distribution.
     */
    static HostSettings settingsWithOwnSystemFolder(Path tmp, Transcript transcript) throws java.io.IOException {
        Path system = Files.createDirectories(tmp.resolve("system"));
        try (var entries = Files.list(home().resolve("system"))) {
            for (Path e : entries.toList()) {
                Path link = system.resolve(e.getFileName().toString());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, e);
                }
            }
        }
        return settings(tmp, transcript).withSystemDir(system);
    }

    static boolean hasStorageLeft(Path dataDir) throws java.io.IOException {
        if (!Files.isDirectory(dataDir)) {
            return false;
        }
        try (var dirs = Files.list(dataDir)) {
            return dirs.anyMatch(d -> d.getFileName().toString().startsWith("felix-"));
        }
    }
}
