package dev.ringzero.distribution.isolation;

import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolType;

/** Allocates and frees one block of every size kind in both pools, counting the failures (NULL). */
public final class PoolWorkout {

    /** Small (slab), a page class, whole pages, a huge block (a mapping of its own in paged pool). */
    static final long[] SIZES = {24, 4_080, 8_192, 60_000, 2_500_000};

    private PoolWorkout() {
    }

    /** One round over both pools and every size; {@code between} runs between each allocation and its free. */
    static int round(PoolAllocator pool, int tag, Runnable before, Runnable between, Runnable after) {
        int failures = 0;
        for (int type : new int[] {PoolType.NonPagedPool, PoolType.PagedPool}) {
            for (long size : SIZES) {
                before.run();
                int a = pool.ExAllocatePoolWithTag(type, size, tag);
                between.run();
                if (a == 0) {
                    failures++;
                } else {
                    pool.ExFreePoolWithTag(a, tag);
                }
                after.run();
            }
        }
        return failures;
    }
}
