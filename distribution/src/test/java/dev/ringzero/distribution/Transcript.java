package dev.ringzero.distribution;

import dev.ringzero.host.core.DbgPrintSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Every driver's {@code DbgPrint} lines, as the host's console got them; and a hold: a driver's thread that
 * prints a given line waits there until the test lets it go (the line reaches this sink on the printing
 * thread), so a test can look at a driver's memory in the middle of its {@code DriverEntry}.
 */
final class Transcript implements DbgPrintSink {

    private record Line(String driver, String text) {
    }

    /** A driver held at a line: {@link #reached} once it printed it, {@link #release} to let it go on. */
    static final class Hold {
        private final String driver;
        private final String text;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Hold(String driver, String text) {
            this.driver = driver;
            this.text = text;
        }

        /** Waits until the driver printed the line. */
        void reached() throws InterruptedException {
            if (!reached.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError(driver + " did not print \"" + text + "\" within 30 s");
            }
        }

        void release() {
            released.countDown();
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();

    @Override
    public void line(String driver, String line) {
        lines.add(new Line(driver, line));
        for (Hold h : holds) {
            if (h.driver.equals(driver) && line.equals(h.text) && h.reached.getCount() > 0) {
                h.reached.countDown();
                try {
                    h.released.await(30, TimeUnit.SECONDS); // bounded: a test that fails never hangs the driver
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                holds.remove(h);
            }
        }
    }

    /** Holds {@code driver}'s thread when it prints {@code text}, once. */
    Hold holdAt(String driver, String text) {
        Hold h = new Hold(driver, text);
        holds.add(h);
        return h;
    }

    /** What {@code driver} printed, in order. */
    List<String> of(String driver) {
        return lines.stream().filter(l -> l.driver().equals(driver)).map(Line::text).toList();
    }
}
