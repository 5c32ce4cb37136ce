package dev.ringzero.concurrency;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.foreign.MemorySegment;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The S-list ({@code dev.ringzero.api.memory.SLists}, NT's x86 {@code SLIST_HEADER} CASed as one 64-bit
 * word) is linearizable over the real pool's address space: every pair of concurrent push, pop and flush
 * ends as one of its two orders, no entry is lost or handed out twice, and {@code Depth} agrees with the
 * chain. Entries are named 1, 2, 3 in the outcomes; the arbiter reads what is left.
 */
public final class SListTests {

    private SListTests() {
    }

    /** Base state: a header and three entries; the arbiter returns the memory. */
    abstract static class Base {
        final int header = Fixture.newSListHeader();
        final MemorySegment h = Fixture.header(header);
        final int a = Fixture.newEntry();
        final int b = Fixture.newEntry();
        final int c = Fixture.newEntry();

        int id(int entry) {
            return Fixture.id(entry, a, b, c);
        }

        /** The chain left on the list as ids, top first, e.g. 21 for b -> a; and the header's Depth. */
        int remaining() {
            int code = 0;
            for (int e = Fixture.SLISTS.flush(h); e != 0; e = Fixture.MEMORY.readInt(e)) {
                code = code * 10 + id(e);
            }
            return code;
        }

        void release() {
            Fixture.free(a, b, c, header);
        }
    }

    @JCStressTest
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "pop, then push: the pop took a, b is left")
    @Outcome(id = "2, 1, 1", expect = ACCEPTABLE, desc = "push, then pop: the pop took b, a is left")
    @Outcome(expect = FORBIDDEN, desc = "lost, duplicated or miscounted entries")
    @State
    public static class PushRacingPop extends Base {
        PushRacingPop() {
            Fixture.SLISTS.push(h, a);
        }

        @Actor
        public void pusher() {
            Fixture.SLISTS.push(h, b);
        }

        @Actor
        public void popper(III_Result r) {
            r.r1 = id(Fixture.SLISTS.pop(h));
        }

        @Arbiter
        public void check(III_Result r) {
            r.r2 = Fixture.SLISTS.QueryDepthSList(header);
            r.r3 = remaining();
            release();
        }
    }

    @JCStressTest
    @Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "actor 1 popped first: b, then a")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "actor 2 popped first: b, then a")
    @Outcome(expect = FORBIDDEN, desc = "both got the same entry, or one got nothing from a list of two")
    @State
    public static class PopRacingPop extends Base {
        PopRacingPop() {
            Fixture.SLISTS.push(h, a);
            Fixture.SLISTS.push(h, b);
        }

        @Actor
        public void first(II_Result r) {
            r.r1 = id(Fixture.SLISTS.pop(h));
        }

        @Actor
        public void second(II_Result r) {
            r.r2 = id(Fixture.SLISTS.pop(h));
        }

        @Arbiter
        public void check(II_Result r) {
            if (Fixture.SLISTS.QueryDepthSList(header) != 0 || remaining() != 0) {
                r.r1 = -9; // something was left behind
            }
            release();
        }
    }

    @JCStressTest
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "flush, then push: the flush took a, b is left")
    @Outcome(id = "21, 0, 0", expect = ACCEPTABLE, desc = "push, then flush: the flush took b -> a")
    @Outcome(expect = FORBIDDEN, desc = "an entry lost, kept twice, or Depth wrong")
    @State
    public static class PushRacingFlush extends Base {
        PushRacingFlush() {
            Fixture.SLISTS.push(h, a);
        }

        @Actor
        public void pusher() {
            Fixture.SLISTS.push(h, b);
        }

        @Actor
        public void flusher(III_Result r) {
            int code = 0;
            for (int e = Fixture.SLISTS.flush(h); e != 0; e = Fixture.MEMORY.readInt(e)) {
                code = code * 10 + id(e);
            }
            r.r1 = code;
        }

        @Arbiter
        public void check(III_Result r) {
            r.r2 = Fixture.SLISTS.QueryDepthSList(header);
            r.r3 = remaining();
            release();
        }
    }

    @JCStressTest
    @Outcome(id = "3, 1, 2", expect = ACCEPTABLE, desc = "c went on top of a's pop and push back (before or after both)")
    @Outcome(id = "1, 3, 2", expect = ACCEPTABLE, desc = "c went in between the pop of a and its push back")
    @Outcome(expect = FORBIDDEN, desc = "an entry lost or on the list twice, or Depth not 3")
    @State
    public static class PopPushBackRacingPush extends Base {
        PopPushBackRacingPush() {
            Fixture.SLISTS.push(h, b);
            Fixture.SLISTS.push(h, a);
        }

        @Actor
        public void popAndPushBack() {
            int e = Fixture.SLISTS.pop(h);
            Fixture.SLISTS.push(h, e);
        }

        @Actor
        public void pusher() {
            Fixture.SLISTS.push(h, c);
        }

        @Arbiter
        public void check(III_Result r) {
            int depth = Fixture.SLISTS.QueryDepthSList(header);
            int chain = remaining();
            r.r1 = chain / 100;
            r.r2 = chain / 10 % 10;
            r.r3 = depth == 3 ? chain % 10 : -depth;
            release();
        }
    }
}
