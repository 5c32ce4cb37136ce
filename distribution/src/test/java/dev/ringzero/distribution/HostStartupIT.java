package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.felix.HostException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host whose platform is incomplete says what is missing, in one line, and leaves nothing behind. */
class HostStartupIT {

    @TempDir
    Path tmp;

    @Test
    void aMissingPoolBundleShouldNameTheMissingServicesAndTheirBundle() throws IOException {
        Path system = Files.createDirectories(tmp.resolve("system"));
        try (Stream<Path> jars = Files.list(Distribution.home().resolve("system"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                if (!jar.getFileName().toString().startsWith("allocator-pool")) {
                    Files.copy(jar, system.resolve(jar.getFileName()));
                }
            }
        }

        assertThatThrownBy(() -> FelixHost.start(Distribution.settings(tmp, new Transcript())
                        .withSystemDir(system).withServiceTimeout(Duration.ofSeconds(2)), new Events()))
                .isInstanceOf(HostException.class)
                .hasMessageStartingWith("the executive's services did not appear within 2 s; missing: ")
                .hasMessageContaining("dev.ringzero.api.memory.ExecutivePool (from bundle dev.ringzero.pool, which is not installed)")
                .hasMessageNotContaining("\n")
                .extracting(e -> ((HostException) e).kind()).isEqualTo(HostException.Kind.FAULT);
        assertThat(Distribution.hasStorageLeft(tmp.resolve("data"))).isFalse();
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
