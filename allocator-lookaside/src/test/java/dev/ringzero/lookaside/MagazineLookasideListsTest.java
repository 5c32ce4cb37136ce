package dev.ringzero.lookaside;

import dev.ringzero.spi.lookaside.LookasideProvider;

/** The lookaside contract for the {@code magazine} implementation: unchanged, one thread sees NT's list exactly. */
class MagazineLookasideListsTest extends LookasideListsContract {

    @Override
    protected LookasideProvider provider(LookasideSystem system) {
        return system.provider("magazine");
    }
}
