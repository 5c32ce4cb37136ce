package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.distribution.drivers.GoodDriver;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.felix.FelixHost;
import dev.ringzero.host.launch.HostSettings;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/** The long-running host: the Gogo shell (no console here), FileInstall hot deploy from drivers/, unload at stop. */
class HostModeIT {

    @TempDir
    Path tmp;

    private final Transcript transcript = new Transcript();
    private final Events events = new Events();
    private FelixHost host;

    @BeforeEach
    void startHost() throws Exception {
        HostSettings settings = Distribution.settings(tmp, transcript)
                .withMode(HostSettings.Mode.HOST)
                .withInteractive(false)
                .withFrameworkProperty("felix.fileinstall.poll", "100");
        host = FelixHost.start(settings, events);
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    @Test
    void theHostShouldRunTheShellAndFileInstallBesideThePlatform() {
        assertThat(host.framework().getBundleContext().getBundles()).extracting(Bundle::getSymbolicName).contains(
                "org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command", "org.apache.felix.gogo.jline",
                "org.jline", "org.apache.felix.fileinstall", "org.apache.felix.configadmin", "dev.ringzero.kdshell");
        assertThat(host.framework().getBundleContext()
                .getServiceReference("org.apache.felix.service.command.CommandProcessor"))
                .as("Gogo's command processor").isNotNull();
    }

    @Test
    void shellCommandsShouldRunThroughGogosCommandProcessor() throws Exception {
        BundleContext context = host.framework().getBundleContext();
        ServiceReference<?> ref = context.getServiceReference("org.apache.felix.service.command.CommandProcessor");
        Object processor = context.getService(ref);
        // the Gogo API lives in the gogo.runtime bundle, not on this class path: call it reflectively
        Class<?> processorApi = ref.getBundle().loadClass("org.apache.felix.service.command.CommandProcessor");
        Class<?> sessionApi = ref.getBundle().loadClass("org.apache.felix.service.command.CommandSession");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Object session = processorApi.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
                .invoke(processor, InputStream.nullInputStream(), print, print);
        Object bundles;
        try {
            sessionApi.getMethod("execute", CharSequence.class).invoke(session, "echo kd");
            bundles = sessionApi.getMethod("execute", CharSequence.class).invoke(session, "lb");
        } finally {
            sessionApi.getMethod("close").invoke(session);
            context.ungetService(ref);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("kd" + System.lineSeparator());
        // the executive is on the launcher's module path, not among the bundles
        assertThat(String.valueOf(bundles)).contains("Apache Felix Gogo Runtime", "Apache Felix File Install")
                .doesNotContain("Ringzero :: Allocator");
    }

    @Test
    void aDriverDroppedIntoDriversShouldLoadAndUnloadWhenRemoved() throws Exception {
        Path built = TestBundles.driverBundle(tmp.resolve("build"), GoodDriver.class);
        Path deployed = tmp.resolve("drivers/good-driver.jar");

        Files.copy(built, deployed, StandardCopyOption.REPLACE_EXISTING);
        Events.Loaded loaded = Events.next(events.loaded, "load of the deployed driver");
        assertThat(loaded.outcome().name()).isEqualTo("GoodDriver");
        assertThat(loaded.outcome().state()).isEqualTo(DriverState.LOADED);

        Files.delete(deployed);
        Events.Unloaded unloaded = Events.next(events.unloaded, "unload of the removed driver");
        assertThat(unloaded.driver()).isEqualTo("GoodDriver");
        assertThat(unloaded.notes()).isEmpty();
        assertThat(transcript.of("GoodDriver")).last().isEqualTo("GoodDriver: DriverUnload called");
        assertThat(host.ioManager().drivers()).doesNotContainKey("GoodDriver");
    }

    @Test
    void stoppingTheFrameworkShouldUnloadTheDriversFirst() throws Exception {
        Files.copy(TestBundles.driverBundle(tmp.resolve("build"), GoodDriver.class), tmp.resolve("drivers/good.jar"));
        assertThat(Events.next(events.loaded, "load of the deployed driver").outcome().state()).isEqualTo(DriverState.LOADED);

        Framework framework = host.framework();
        framework.stop();   // as the shell's "stop 0" does
        assertThat(framework.waitForStop(TimeUnit.SECONDS.toMillis(60)).getType())
                .isEqualTo(org.osgi.framework.FrameworkEvent.STOPPED);

        assertThat(Events.next(events.unloaded, "unload at stop").driver()).isEqualTo("GoodDriver");
        // DriverUnload freed its block while the pool was still there: no bug check, no leak note
        assertThat(transcript.of("GoodDriver")).last().isEqualTo("GoodDriver: DriverUnload called");
        assertThat(events.bugChecks).isEmpty();
        assertThat(events.faults).isEmpty();
    }
}
