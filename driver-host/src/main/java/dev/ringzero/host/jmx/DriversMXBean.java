package dev.ringzero.host.jmx;

/** The drivers the I/O manager knows: loading, loaded or quarantined, with what they own. */
public interface DriversMXBean {

    /** One row per driver. */
    Row[] getDrivers();

    /**
     * @param name          the driver's service name
     * @param state         {@code LOADING}, {@code LOADED}, {@code QUARANTINED}
     * @param blocks        pool blocks it holds now
     * @param bytes         bytes those blocks hold
     * @param lookasideLists the lookaside lists it owns
     * @param listAddresses their header addresses ({@code %08X}), for {@code kd:lookaside ADDRESS}
     * @param verified      whether it runs under the verifier
     * @param specialPool   whether its blocks come from the verifier's special pool
     */
    record Row(String name, String state, long blocks, long bytes, int lookasideLists, String[] listAddresses,
               boolean verified, boolean specialPool) {
    }
}
