package dev.ringzero.host.kd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.host.core.DriverImage;
import dev.ringzero.host.core.DriverState;
import dev.ringzero.host.core.InProcessHost;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code kd:lm} on a real I/O manager: a quarantined driver's hung thread is shown with the CPU time it burns. */
class KdLmTest {

    private InProcessHost host;

    /** Spins in DriverEntry until the test lets it go. */
    public static final class Spinner implements Driver {
        static volatile boolean spin = true;

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            long n = 0;
            while (spin) {
                n++;
            }
            return n >= 0 ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL;
        }
    }

    @AfterEach
    void close() {
        Spinner.spin = false;
        host.close();
    }

    @Test
    void lmShouldShowAQuarantinedDriversSpinningThreadWithItsCpuTimeAndSayItCannotBeStopped() throws Exception {
        Spinner.spin = true;
        host = InProcessHost.builder().watchdog(Duration.ofMillis(500)).build();
        assertThat(host.load(DriverImage.of("Spinner", Spinner.class)).state()).isEqualTo(DriverState.QUARANTINED);

        String lm = KdCommands.lm(host.io(), host.executive(), ManagementFactory.getThreadMXBean());

        assertThat(lm.lines()).anyMatch(l -> l.startsWith("Spinner ") && l.contains(" quarantined "));
        String thread = lm.lines().filter(l -> l.startsWith("    thread ")).findFirst().orElseThrow(() -> new AssertionError(lm));
        assertThat(thread).matches("    thread \"System worker: DriverEntry Spinner\" \\(id \\d+\\): RUNNABLE, CPU \\d+\\.\\d{3} s");
        double cpu = Double.parseDouble(thread.replaceAll(".*CPU (\\S+) s", "$1"));
        assertThat(cpu).as("the spin has used CPU time").isPositive();
        assertThat(lm).contains("cannot be stopped (Java has no Thread.stop)");

        Spinner.spin = false;
        Thread worker = host.io().hungWorker("Spinner").orElseThrow();
        worker.join(Duration.ofSeconds(10));
        assertThat(KdCommands.lm(host.io(), host.executive(), ManagementFactory.getThreadMXBean()))
                .contains("    thread \"System worker: DriverEntry Spinner\" (id " + worker.threadId() + "): ended")
                .doesNotContain("cannot be stopped");
    }
}
