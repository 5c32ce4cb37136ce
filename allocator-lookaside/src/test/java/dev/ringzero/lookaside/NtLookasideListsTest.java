package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasideProvider;

/** The lookaside contract for the {@code nt} implementation. */
class NtLookasideListsTest extends LookasideListsContract {

    @Override
    protected LookasideProvider provider(LookasideSystem system) {
        return system.provider("nt");
    }
}
