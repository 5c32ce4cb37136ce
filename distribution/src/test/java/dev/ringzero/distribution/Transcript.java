package dev.ringzero.distribution;

import dev.ringzero.host.core.DbgPrintSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every driver's {@code DbgPrint} lines, as the host's console got them. */
final class Transcript implements DbgPrintSink {

    private record Line(String driver, String text) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    @Override
    public void line(String driver, String line) {
        lines.add(new Line(driver, line));
    }

    /** What {@code driver} printed, in order. */
    List<String> of(String driver) {
        return lines.stream().filter(l -> l.driver().equals(driver)).map(Line::text).toList();
    }
}
