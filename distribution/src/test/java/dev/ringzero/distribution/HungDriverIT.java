package dev.ringzero.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.distribution.drivers.GoodDriver;
import dev.ringzero.distribution.drivers.HangingDriver;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.felix.DriverLoad;
import dev.ringzero.host.felix.FelixHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** A {@code DriverEntry} that never returns: the watchdog reports and quarantines it; the host goes on. */
class HungDriverIT {

    private static final Duration WATCHDOG = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    private final Transcript transcript = new Transcript();
    private final Events events = new Events();
    private final CountDownLatch release = new CountDownLatch(1);
    private FelixHost host;

    @BeforeEach
    void startHost() throws Exception {
        System.getProperties().put(HangingDriver.RELEASE, release);
        host = FelixHost.start(Distribution.settings(tmp, transcript).withWatchdog(WATCHDOG), events);
    }

    @AfterEach
    void stopHost() {
        release.countDown();   // lets the stuck DriverEntry end, so no thread outlives the test
        host.close();
        System.getProperties().remove(HangingDriver.RELEASE);
    }

    @Test
    void theWatchdogShouldQuarantineAHungDriverAndTheHostShouldLoadTheNextOne() throws Exception {
        DriverLoad hung = host.load(TestBundles.driverBundle(tmp.resolve("hung"), HangingDriver.class));

        assertThat(hung.outcome().state()).isEqualTo(DriverState.QUARANTINED);
        assertThat(hung.outcome().message())
                .isEqualTo("HangingDriver: DriverEntry did not return within 2000 ms (watchdog); driver quarantined");
        assertThat(transcript.of("HangingDriver")).containsExactly("HangingDriver: Entering DriverEntry");
        assertThat(host.ioManager().driver("HangingDriver")).hasValueSatisfying(
                d -> assertThat(d.state()).isEqualTo(DriverState.QUARANTINED));
        assertThat(events.bugChecks).isEmpty();

        DriverLoad next = host.load(TestBundles.driverBundle(tmp.resolve("next"), GoodDriver.class));
        assertThat(next.outcome().state()).isEqualTo(DriverState.LOADED);
        assertThat(host.unload(next)).isEmpty();
        assertThat(transcript.of("GoodDriver")).last().isEqualTo("GoodDriver: DriverUnload called");

        assertThat(host.unload(hung)).containsExactly("HangingDriver: quarantined; left as it is");
        assertThat(hung.bundle().getState()).isEqualTo(Bundle.UNINSTALLED);
        assertThat(host.framework().getState()).isEqualTo(Bundle.ACTIVE);
    }
}
