package dev.ringzero.host.jmx;

/** Driver Verifier's settings and the bug checks caught so far. */
public interface VerifierMXBean {

    /** Whether every driver loaded from now on runs under the verifier ({@code --verifier}, {@code kd:verifier on}). */
    boolean isVerifierByDefault();

    /** Driver names the verifier is on for ({@code --verify NAME}). */
    String[] getVerifiedDrivers();

    /** Driver names whose blocks come from special pool ({@code --special-pool NAME}). */
    String[] getSpecialPoolDrivers();

    /** Tag patterns whose blocks come from special pool, whoever allocates ({@code --special-pool-tag TAG}). */
    String[] getSpecialPoolTags();

    /** Every bug check the host caught, oldest first. */
    BugCheckRow[] getBugChecks();

    /**
     * @param code       the stop code ({@code 0xC4})
     * @param name       its name ({@code DRIVER_VERIFIER_DETECTED_VIOLATION})
     * @param parameters the four parameters, {@code %X}
     * @param driver     whose fault it was
     * @param phase      what it was doing
     * @param time       when (ISO-8601)
     * @param detail     the host's one line about it
     */
    record BugCheckRow(String code, String name, String[] parameters, String driver, String phase, String time, String detail) {
    }
}
