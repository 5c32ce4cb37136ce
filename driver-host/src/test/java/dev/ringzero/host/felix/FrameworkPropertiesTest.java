package dev.ringzero.host.felix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import dev.ringzero.host.launch.HostSettings;
import dev.ringzero.host.launch.HostException;

class FrameworkPropertiesTest {

    @TempDir
    Path home;

    @Test
    void shouldReadConfigPropertiesAndSubstituteTheLayout() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/config.properties"), """
                felix.log.level=1
                my.cache=${ringzero.data}/mine
                unknown=${no.such.thing}
                org.osgi.framework.storage=/somewhere/else
                """);
        HostSettings s = HostSettings.forHome(home);
        Map<String, String> props = FrameworkSetup.frameworkProperties(s, home.resolve("data/felix-1"));
        assertThat(props)
                .containsEntry("felix.log.level", "1")
                .containsEntry("my.cache", home.resolve("data") + "/mine")
                .containsEntry("unknown", "${no.such.thing}")
                .containsEntry("ringzero.home", home.toString())
                .containsEntry(Constants.FRAMEWORK_STORAGE, home.resolve("data/felix-1").toString())
                .containsEntry(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT)
                .containsEntry("felix.fileinstall.dir", home.resolve("drivers") + "," + home.resolve("allocators"))
                .containsEntry("gosh.home", home.toString())
                .containsEntry("gosh.args", "--nointeractive");
        assertThat(props.get(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA)).startsWith("dev.ringzero.api");
    }

    @Test
    void theSettingsOwnPropertiesShouldWin() throws HostException {
        HostSettings s = HostSettings.forHome(home).withInteractive(true).withFrameworkProperty("felix.log.level", "4");
        Map<String, String> props = FrameworkSetup.frameworkProperties(s, home.resolve("data/x"));
        assertThat(props).containsEntry("felix.log.level", "4").doesNotContainKey("gosh.args");
    }

    @Test
    void bundlesShouldFindJfrsEventWriterThroughTheBootLoaderBesideWhatIsConfigured() throws Exception {
        assertThat(FrameworkSetup.frameworkProperties(HostSettings.forHome(home), home.resolve("data/x")))
                .containsEntry("org.osgi.framework.bootdelegation", "jdk.jfr.internal.event");
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/config.properties"), "org.osgi.framework.bootdelegation=sun.misc\n");
        assertThat(FrameworkSetup.frameworkProperties(HostSettings.forHome(home), home.resolve("data/x")))
                .containsEntry("org.osgi.framework.bootdelegation", "sun.misc,jdk.jfr.internal.event");
    }

    @Test
    void theHostShouldStartTheShellAndFileInstallOnlyInHostMode() throws IOException, HostException {
        Files.createDirectories(home.resolve("system/shell"));
        Files.createDirectories(home.resolve("system/deploy"));
        Files.writeString(home.resolve("system/b.jar"), "");
        Files.writeString(home.resolve("system/a.jar"), "");
        Files.writeString(home.resolve("system/notes.txt"), "");
        Files.writeString(home.resolve("system/shell/gogo.jar"), "");
        Files.writeString(home.resolve("system/deploy/fileinstall.jar"), "");
        HostSettings run = HostSettings.forHome(home);
        assertThat(FrameworkSetup.platformBundles(run)).extracting(p -> home.relativize(p).toString())
                .containsExactly("system/a.jar", "system/b.jar");
        assertThat(FrameworkSetup.platformBundles(run.withMode(HostSettings.Mode.HOST))).extracting(p -> home.relativize(p).toString())
                .containsExactly("system/a.jar", "system/b.jar", "system/shell/gogo.jar", "system/deploy/fileinstall.jar");
    }

    @Test
    void aSystemFolderWithoutBundlesIsAHostFault() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrameworkSetup.platformBundles(HostSettings.forHome(home)))
                .isInstanceOf(HostException.class).hasMessage("no platform bundles in " + home.resolve("system"))
                .extracting(e -> ((HostException) e).kind()).isEqualTo(HostException.Kind.FAULT);
    }
}
