/**
 * Careless drivers, each doing something ordinary Java code does that used to hurt the host: interrupting
 * its own thread around allocations, {@code shutdownNow()} on its executor, interrupting every thread in
 * the JVM, leaving a plain thread allocating after it was unloaded. Run by {@code IsolationCorpusIT}
 * through {@code bin/ringzero run} beside RegMon, and hot-deployed into the long-running host.
 */
package dev.ringzero.distribution.isolation;
