/**
 * Hostile drivers that reach past the objects they are handed (issue 16, docs/decisions/0001): native access
 * through {@code reinterpret} and {@code MemorySegment.NULL}, a {@code Linker} downcall, {@code setAccessible}
 * on every service object, the framework through {@code FrameworkUtil} imported and loaded by name. Run through
 * {@code bin/ringzero run} ahead of RegMon by {@code ContainmentCorpusIT}: each is its own bug check (0x7E,
 * {@code STATUS_PRIVILEGED_INSTRUCTION}) or is refused at load.
 */
package dev.ringzero.distribution.containment;
