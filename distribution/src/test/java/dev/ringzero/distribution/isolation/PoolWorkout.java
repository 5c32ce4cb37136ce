package dev.ringzero.distribution.isolation;

import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolType;
import java.util.stream.LongStream;

/** Allocates and frees one block of every size class in both pools, counting the failures (NULL). */
public final class PoolWorkout {

    /**
     * Every size class: every 16 bytes of a pool page (the small classes), every page count up to 20 pages
     * (the page classes, then whole pages), and a huge block (a mapping of its own in paged pool).
     */
    static final long[] SIZES = LongStream.concat(LongStream.concat(
            LongStream.rangeClosed(1, 255).map(i -> i * 16),
            LongStream.rangeClosed(1, 20).map(pages -> pages * 4096 - 100)),
            LongStream.of(2_500_000)).toArray();

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
