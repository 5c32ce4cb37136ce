package dev.ringzero.host.core;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;

/**
 * Whether one load of one driver has been unloaded, shared by every service object the host made for it
 * (its driver object, system memory, lookaside routines): at unload the host revokes it once, and every
 * later call through any of them is {@link BugCheck#callAfterUnload 0xCE} charged to the driver.
 */
final class Revocation {

    private final Owner owner;
    /** Set once, at unload; volatile so a thread the driver left behind sees it at its next call. */
    private volatile boolean revoked;

    Revocation(Owner owner) {
        this.owner = owner;
    }

    void revoke() {
        revoked = true;
    }

    boolean revoked() {
        return revoked;
    }

    /**
     * @param address the address the call referenced (0 for none)
     * @param write   whether the call would change memory
     * @throws BugCheck 0xCE once revoked
     */
    void check(String routine, int address, boolean write) {
        if (revoked) {
            throw BugCheck.callAfterUnload(owner, routine, address, write);
        }
    }
}
