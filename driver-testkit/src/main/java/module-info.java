/**
 * The driver test kit: JUnit 5 tests that run a Ringzero driver in-process, on the host's lifecycle
 * core without OSGi, and assert what a driver author cares about — the status {@code DriverEntry}
 * returned, the {@code DbgPrint} lines, that nothing leaked, that nothing bug-checked.
 *
 * <p>The pool and the lookaside lists are found with {@link java.util.ServiceLoader}; they come with
 * the kit as run-time dependencies, so a driver project adds the kit alone, in test scope.
 */
module dev.ringzero.testkit {
    requires transitive dev.ringzero.api;
    requires transitive dev.ringzero.host;
    requires transitive org.junit.jupiter.api;

    exports dev.ringzero.testkit;

    uses dev.ringzero.spi.memory.ExecutivePool;
    uses dev.ringzero.spi.lookaside.LookasideServices.Factory;
}
