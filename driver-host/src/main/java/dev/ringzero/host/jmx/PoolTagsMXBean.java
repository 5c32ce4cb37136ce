package dev.ringzero.host.jmx;

import dev.ringzero.spi.memory.PoolTagUsage;

/** The pool's per-tag accounting, one row per tag and pool type: what {@code !poolused} and PoolMon show. */
public interface PoolTagsMXBean {

    /** One row per tag and pool type. */
    Row[] getTags();

    /**
     * @param tag        the tag as displayed (four characters; may hold any printable character)
     * @param tagValue   the tag's 32-bit value, as {@code ExAllocatePoolWithTag} takes it
     * @param poolType   {@code Paged} or {@code Nonp}, PoolMon's words
     * @param allocs     allocations made with the tag
     * @param frees      frees of blocks with the tag
     * @param diff       blocks still allocated ({@code allocs - frees})
     * @param bytes      bytes asked for by the blocks still allocated
     */
    record Row(String tag, int tagValue, String poolType, long allocs, long frees, long diff, long bytes) {

        static Row of(PoolTagUsage u) {
            return new Row(u.tagName(), u.tag(), u.paged() ? "Paged" : "Nonp", u.allocs(), u.frees(), u.outstanding(),
                    u.bytesInUse());
        }

        /** The row as the API's usage record, for the PoolMon renderer. */
        public PoolTagUsage usage() {
            return new PoolTagUsage(tagValue, "Paged".equals(poolType), allocs, frees, bytes);
        }
    }
}
