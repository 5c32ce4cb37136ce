package dev.ringzero.lookaside;

import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.lookaside.LookasideHeader;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.StackTrace;
import jdk.jfr.Throttle;

/**
 * The lookaside machinery's JFR events, category {@code Ringzero}: the balance-set manager's depth adjustments
 * (on by default: at most one per list per scan), and allocate misses (off by default and throttled: a miss is
 * a call to the Allocate routine, frequent in a cold or too-shallow list). Both are raised here, in the
 * registry's and the tuner's code, whatever implementation serves the list.
 */
final class LookasideEvents {

    private LookasideEvents() {
    }

    @Name("dev.ringzero.LookasideDepthAdjustment")
    @Label("Lookaside Depth Adjustment")
    @Category("Ringzero")
    @Description("The balance-set manager changed a lookaside list's Depth (ExAdjustLookasideDepth)")
    @StackTrace(false)
    static final class DepthAdjustment extends Event {
        @Label("List") @Description("The header's system address, as !lookaside takes it") String list;
        @Label("Tag") String tag;
        @Label("Owner") String owner;
        @Label("Implementation") String implementation;
        @Label("Old Depth") int oldDepth;
        @Label("New Depth") int newDepth;
        @Label("Allocates") @Description("Allocations since the list's last scan") long allocates;
        @Label("Allocate Misses") @Description("Allocate misses since the list's last scan") long misses;
        @Label("Allocate Hit Rate") @Description("Since the list's last scan; 0 when it had no allocation") @Percentage
        double allocateHitRate;
        @Label("Free Hit Rate") @Description("Over the list's life (NT keeps no snapshot of the frees)") @Percentage
        double freeHitRate;
    }

    @Name("dev.ringzero.LookasideMiss")
    @Label("Lookaside Allocate Miss")
    @Category("Ringzero")
    @Description("A lookaside allocation found no cached entry and called the list's Allocate routine (off by default; throttled)")
    @Enabled(false)
    @Throttle("100/s")
    @StackTrace(false)
    static final class Miss extends Event {
        @Label("List") String list;
        @Label("Tag") String tag;
        @Label("Owner") String owner;
        @Label("Depth") int depth;
    }

    static void depthAdjusted(RegisteredList list, int oldDepth, int newDepth, int allocates, int misses, int tag,
                              long totalFrees, long freeMisses) {
        DepthAdjustment e = new DepthAdjustment();
        if (e.shouldCommit()) {
            e.list = String.format("%08X", list.address);
            e.tag = PoolTag.toString(tag);
            e.owner = list.owner.name();
            e.implementation = list.implementation();
            e.oldDepth = oldDepth;
            e.newDepth = newDepth;
            e.allocates = Integer.toUnsignedLong(allocates);
            e.misses = Integer.toUnsignedLong(misses);
            e.allocateHitRate = e.allocates == 0 ? 0 : Math.max(0, e.allocates - e.misses) / (double) e.allocates;
            e.freeHitRate = totalFrees == 0 ? 0 : Math.max(0, totalFrees - freeMisses) / (double) totalFrees;
            e.commit();
        }
    }

    /** A miss on {@code list}; a no-op while the event is off. */
    static void missed(RegisteredList list) {
        Miss e = new Miss();
        if (e.shouldCommit()) {
            e.list = String.format("%08X", list.address);
            e.tag = PoolTag.toString(LookasideHeader.tag(list.header));
            e.owner = list.owner.name();
            e.depth = LookasideHeader.depth(list.header);
            e.commit();
        }
    }
}
