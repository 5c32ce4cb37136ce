package dev.ringzero.host.core;

/** Receives each driver's {@code DbgPrint} output, one whole line at a time, attributed to the driver. */
@FunctionalInterface
public interface DbgPrintSink {

    /**
     * @param driver the service name of the driver that printed
     * @param line   the line, without its newline; nothing prepended
     */
    void line(String driver, String line);
}
