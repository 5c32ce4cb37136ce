package dev.ringzero.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.host.launch.HostSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RINGZERO_DATA and RINGZERO_LOG move the only folders the host writes out of a (read-only) distribution. */
class WritableFoldersTest {

    private final Path home = Path.of("/opt/ringzero").toAbsolutePath();

    @Test
    void withoutTheVariablesTheFoldersShouldStayInTheDistribution() {
        HostSettings s = Main.writableFolders(HostSettings.forHome(home), Map.of());
        assertThat(s.dataDir()).isEqualTo(home.resolve("data"));
        assertThat(s.logDir()).isEqualTo(home.resolve("log"));
    }

    @Test
    void theVariablesShouldMoveDataAndLogAndNothingElse() {
        HostSettings s = Main.writableFolders(HostSettings.forHome(home),
                Map.of(Main.DATA_ENV, "/var/lib/ring zero", Main.LOG_ENV, "/var/log/ringzero"));
        assertThat(s.dataDir()).isEqualTo(Path.of("/var/lib/ring zero").toAbsolutePath());
        assertThat(s.logDir()).isEqualTo(Path.of("/var/log/ringzero").toAbsolutePath());
        assertThat(s.systemDir()).isEqualTo(home.resolve("system"));
        assertThat(s.driversDir()).isEqualTo(home.resolve("drivers"));
        assertThat(s.etcDir()).isEqualTo(home.resolve("etc"));
    }

    @Test
    void aRelativePathShouldBeTakenFromTheCurrentDirectory() {
        HostSettings s = Main.writableFolders(HostSettings.forHome(home), Map.of(Main.DATA_ENV, "state/../state"));
        assertThat(s.dataDir()).isEqualTo(Path.of("state").toAbsolutePath());
        assertThat(s.logDir()).isEqualTo(home.resolve("log"));
    }

    @Test
    void aBlankVariableShouldCountAsUnset() {
        HostSettings s = Main.writableFolders(HostSettings.forHome(home), Map.of(Main.LOG_ENV, " "));
        assertThat(s.logDir()).isEqualTo(home.resolve("log"));
    }
}
