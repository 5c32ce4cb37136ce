/**
 * The bad-jar corpus: classes for jars that cannot become a loaded driver — an entry class that is no
 * {@code Driver}, a constructor that throws, a driver whose jar imports a package nobody exports, a
 * second driver under a name already taken. With the empty, random-bytes, not-a-bundle and
 * not-a-driver jars, {@link dev.ringzero.distribution.BadJarsIT} drives them through {@code bin/ringzero run}
 * and the long-running host's {@code drivers/} folder, where each must get one clear line.
 */
package dev.ringzero.distribution.badjars;
