package dev.ringzero.host.poolmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.spi.memory.PoolTagUsage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolMonTest {

    private static PoolTagUsage usage(String tag, boolean paged, long allocs, long frees, long bytes) {
        return new PoolTagUsage(PoolTag.fromDisplay(tag), paged, allocs, frees, bytes);
    }

    /** The tags of the rows, top to bottom. */
    private static List<String> order(String screen) {
        return screen.lines().filter(l -> l.matches(" \\S{4} (Paged|Nonp) .*"))
                .map(l -> l.substring(1, 5) + "/" + l.substring(6, 11).strip()).toList();
    }

    private static final List<PoolTagUsage> FIRST = List.of(
            usage("Wasm", true, 100, 90, 640),
            usage("Abcd", false, 10, 0, 5000),
            usage("Zzzz", false, 50, 49, 8),
            usage("Abcd", true, 3, 1, 64));

    @Test
    void shouldShowPoolMonsColumnsWithChangesAndPerAlloc() {
        PoolMon pm = new PoolMon();
        pm.update(FIRST);
        pm.update(List.of(usage("Wasm", true, 105, 94, 704)));
        String screen = pm.render();

        assertThat(screen).contains(PoolMon.HEADER);
        // Diff 11, 704 bytes: Per Alloc 704 / 11 = 64; changes +5 allocs, +4 frees, +64 bytes
        assertThat(screen).contains(String.format(" %-4s %-5s %9d (%4d) %9d (%4d) %8d %11d (%6d) %9d", "Wasm", "Paged",
                105, 5, 94, 4, 11, 704, 64, 64));
    }

    @Test
    void shouldSortByTagByDefaultAndByThePoolmonKeysLargestFirst() {
        PoolMon pm = new PoolMon();
        pm.update(FIRST);
        assertThat(order(pm.render())).containsExactly("Abcd/Nonp", "Abcd/Paged", "Wasm/Paged", "Zzzz/Nonp");

        assertThat(pm.key('a')).isEqualTo(PoolMon.Key.CHANGED);
        assertThat(order(pm.render())).containsExactly("Wasm/Paged", "Zzzz/Nonp", "Abcd/Nonp", "Abcd/Paged");
        pm.key('F');
        assertThat(order(pm.render())).containsExactly("Wasm/Paged", "Zzzz/Nonp", "Abcd/Paged", "Abcd/Nonp");
        pm.key('s');
        assertThat(order(pm.render())).containsExactly("Abcd/Nonp", "Wasm/Paged", "Abcd/Paged", "Zzzz/Nonp");
        pm.key('b');
        assertThat(pm.render()).contains("sorted by Bytes");
        assertThat(order(pm.render())).containsExactly("Abcd/Nonp", "Wasm/Paged", "Abcd/Paged", "Zzzz/Nonp");
        pm.key('m'); // per alloc: 500, 64, 32, 8
        assertThat(order(pm.render())).containsExactly("Abcd/Nonp", "Wasm/Paged", "Abcd/Paged", "Zzzz/Nonp");
        pm.key('t');
        assertThat(order(pm.render())).containsExactly("Abcd/Nonp", "Abcd/Paged", "Wasm/Paged", "Zzzz/Nonp");
    }

    @Test
    void pShouldCycleNonPagedPagedAndBoth() {
        PoolMon pm = new PoolMon();
        pm.update(FIRST);
        pm.key('p');
        assertThat(order(pm.render())).containsExactly("Abcd/Nonp", "Zzzz/Nonp");
        pm.key('P');
        assertThat(order(pm.render())).containsExactly("Abcd/Paged", "Wasm/Paged");
        pm.key('p');
        assertThat(order(pm.render())).hasSize(4);
    }

    @Test
    void parenthesisShouldSortByTheChangeSinceTheLastSnapshot() {
        PoolMon pm = new PoolMon();
        pm.update(FIRST);
        pm.update(List.of(usage("Wasm", true, 101, 90, 640), usage("Abcd", false, 10, 0, 5000),
                usage("Zzzz", false, 80, 79, 8), usage("Abcd", true, 3, 1, 64)));
        pm.key('a');
        assertThat(order(pm.render()).getFirst()).isEqualTo("Wasm/Paged");
        pm.key('(');
        assertThat(pm.render()).contains("sorted by Allocs change");
        assertThat(order(pm.render())).containsExactly("Zzzz/Nonp", "Wasm/Paged", "Abcd/Nonp", "Abcd/Paged");
    }

    @Test
    void eShouldAddTheTotalsAndQShouldQuit() {
        PoolMon pm = new PoolMon();
        pm.update(FIRST);
        assertThat(pm.render()).doesNotContain("Total");
        pm.key('e');
        assertThat(pm.render()).contains(String.format(" %-10s %9d %16d %16d %11d", "Total Nonp", 60, 49, 11, 5008),
                String.format(" %-10s %9d %16d %16d %11d", "Total Paged", 103, 91, 12, 704));
        assertThat(pm.key('x')).isEqualTo(PoolMon.Key.IGNORED);
        assertThat(pm.key('\n')).isEqualTo(PoolMon.Key.IGNORED);
        assertThat(pm.key('q')).isEqualTo(PoolMon.Key.QUIT);
        assertThat(pm.key('Q')).isEqualTo(PoolMon.Key.QUIT);
    }

    @Test
    void perAllocShouldTruncateAndBeZeroWithNothingOutstanding() {
        assertThat(PoolMon.perAlloc(usage("Abcd", false, 3, 0, 100))).isEqualTo(33);
        assertThat(PoolMon.perAlloc(usage("Abcd", false, 3, 3, 0))).isZero();
    }

    @Test
    void aSessionShouldDrawFirstRedrawAtAKeyAndEndAtQ() throws Exception {
        ArrayDeque<List<PoolTagUsage>> snapshots = new ArrayDeque<>(List.of(FIRST, FIRST));
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PoolMonSession.run(() -> snapshots.isEmpty() ? FIRST : snapshots.poll(),
                new ByteArrayInputStream("b\nq".getBytes(StandardCharsets.US_ASCII)),
                new PrintStream(screen, true, StandardCharsets.UTF_8), Duration.ofMinutes(5)); // no refresh while it runs
        String[] draws = screen.toString(StandardCharsets.UTF_8).split(java.util.regex.Pattern.quote(PoolMonSession.CLEAR), -1);
        assertThat(draws).hasSize(3); // before the first CLEAR nothing; then the first screen and B's
        assertThat(draws[1]).contains("sorted by Tag");
        assertThat(draws[2]).contains("sorted by Bytes");
    }

    @Test
    void aSessionShouldRefreshOnItsOwnAndEndAtTheEndOfTheKeys() throws Exception {
        java.util.concurrent.atomic.AtomicInteger snapshots = new java.util.concurrent.atomic.AtomicInteger();
        java.io.PipedOutputStream typing = new java.io.PipedOutputStream();
        java.io.PipedInputStream keys = new java.io.PipedInputStream(typing);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        java.util.concurrent.CountDownLatch threeSnapshots = new java.util.concurrent.CountDownLatch(3);
        Thread user = Thread.ofPlatform().start(() -> {
            try {
                threeSnapshots.await();
                typing.close(); // the end of the input ends the session
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        PoolMonSession.run(() -> {
            snapshots.incrementAndGet();
            threeSnapshots.countDown();
            return FIRST;
        }, keys, new PrintStream(screen, true, StandardCharsets.UTF_8), Duration.ofMillis(20));
        user.join();
        assertThat(snapshots.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aSourceThatFailsShouldBeSaidOnScreenAndThrownAtQ() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.io.PipedOutputStream typing = new java.io.PipedOutputStream();
        java.io.PipedInputStream keys = new java.io.PipedInputStream(typing);
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        ByteArrayOutputStream screen = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                if (toString(StandardCharsets.UTF_8).contains("PoolMon stopped")) {
                    stopped.countDown();
                }
            }
        };
        Thread user = Thread.ofPlatform().start(() -> {
            try {
                stopped.await();
                typing.write('q');
                typing.flush();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PoolMonSession.run(() -> {
            if (calls.incrementAndGet() > 1) {
                throw new java.io.IOException("the host went away");
            }
            return FIRST;
        }, keys, new PrintStream(screen, true, StandardCharsets.UTF_8), Duration.ofMillis(20)))
                .isInstanceOf(java.io.IOException.class).hasMessage("the host went away");
        user.join();
        assertThat(screen.toString(StandardCharsets.UTF_8)).contains(" PoolMon stopped: the host went away; Q quits");
    }
}
