package dev.ringzero.lookaside;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.lookaside.LookasideProvider;
import dev.ringzero.api.memory.PoolBlockInfo;
import org.junit.jupiter.api.Test;

/** The lookaside contract for the {@code nt} implementation, on the real executive pool. */
class NtLookasideListsOnTheRealPoolTest extends LookasideListsContract {

    @Override
    protected LookasideProvider provider(LookasideSystem system) {
        return system.provider("nt");
    }

    @Override
    protected PoolUnderTest newPool() {
        return new RealExecutivePool();
    }

    /**
     * The pool records a verified driver's allocation sites; a lookaside list's refill is charged to the driver's line,
     * the list's own frames passed over (the lists here are given the pool's view itself, as a host gives a driver's).
     */
    @Test
    void shouldChargeALeakedEntryToTheLineThatAllocatedIt() {
        executive.setVerified(DRIVER, true); // depth 0: every allocate misses to the pool
        LookasideLists direct = provider(system).forDriver(DRIVER, ((RealExecutivePool) executive).unwrapped(DRIVER));
        int l = npagedHeader();
        direct.ExInitializeNPagedLookasideList(l, null, null, 0, ENTRY_SIZE, TAG, 0);
        int entry = direct.ExAllocateFromNPagedLookasideList(l);
        PoolBlockInfo leak = executive.outstanding(DRIVER).stream().filter(b -> b.address() == entry).findFirst().orElseThrow();
        assertThat(leak.allocationSite()).isNotNull();
        assertThat(leak.allocationSite().getClassName()).isEqualTo(getClass().getName());
        assertThat(leak.allocationSite().getMethodName()).isEqualTo("shouldChargeALeakedEntryToTheLineThatAllocatedIt");
        direct.ExFreeToNPagedLookasideList(l, entry);
        direct.ExDeleteNPagedLookasideList(l);
    }
}
