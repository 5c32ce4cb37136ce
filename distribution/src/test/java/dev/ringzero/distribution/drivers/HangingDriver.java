package dev.ringzero.distribution.drivers;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import java.util.concurrent.CountDownLatch;

/**
 * A {@code DriverEntry} that does not return until the test lets it: it waits on the
 * {@link CountDownLatch} the test puts in the system properties under {@link #RELEASE} (a JDK class,
 * so the bundle's copy of this class and the test's see the same latch), or forever when there is none.
 */
public final class HangingDriver implements Driver {

    /** The system-properties key of the latch that lets {@code DriverEntry} return. */
    public static final String RELEASE = "ringzero.test.HangingDriver.release";

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        DbgPrint("HangingDriver: Entering DriverEntry\n");
        Object latch = System.getProperties().get(RELEASE);
        CountDownLatch release = latch instanceof CountDownLatch l ? l : new CountDownLatch(1);
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DbgPrint("HangingDriver: released\n");
        return NtStatus.STATUS_SUCCESS;
    }
}
