package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host whose platform or executive is incomplete says what is missing, in one line, and leaves nothing behind. */
class HostStartupIT {

    @TempDir
    Path tmp;

    /** The executive is on the launcher's module path: an installation without the pool's module says so in one line. */
    @Test
    void aMissingPoolModuleShouldBeOneLineNamingItAndExitCode1() throws Exception {
        Path home = tmp.resolve("ringzero");
        Path dist = Distribution.home();
        try (Stream<Path> files = Files.walk(dist)) {
            for (Path f : files.toList()) {
                Path rel = dist.relativize(f);
                if (rel.startsWith("log") || rel.startsWith("data") || rel.getFileName().toString().startsWith("allocator-pool")) {
                    continue;
                }
                Path to = home.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/ringzero").toString(), "run").directory(tmp.toFile());
        pb.environment().remove("RINGZERO_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path err = tmp.resolve("stderr.txt");
        pb.redirectError(err.toFile()).redirectOutput(tmp.resolve("stdout.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        // (the JVM itself warns first that the module named by --enable-native-access is not there)
        assertThat(Files.readAllLines(err)).filteredOn(l -> !l.startsWith("WARNING: ")).containsExactly("ringzero: the executive cannot be assembled: no "
                + "dev.ringzero.spi.memory.ExecutivePool.Factory implementation found by ServiceLoader: put allocator-pool"
                + " (dev.ringzero.pool) on the module path");
        assertThat(Distribution.hasStorageLeft(home.resolve("data"))).isFalse();
    }

    @Test
    void anEmptySystemFolderShouldBeAHostFault() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> FelixHost.start(Distribution.settings(tmp, new Transcript()).withSystemDir(empty), new Events()))
                .isInstanceOf(HostException.class).hasMessage("no platform bundles in " + empty);
    }

    @Test
    void theStartTimesShouldAddUp() throws Exception {
        try (FelixHost host = FelixHost.start(Distribution.settings(tmp, new Transcript()), new Events())) {
            assertThat(host.startupTimes().total()).isPositive()
                    .isEqualTo(host.startupTimes().frameworkInit().plus(host.startupTimes().platformBundles())
                            .plus(host.startupTimes().executiveServices()).plus(host.startupTimes().extender()));
            assertThat(host.startupTimes().toString()).startsWith("host start ");
        }
    }
}
