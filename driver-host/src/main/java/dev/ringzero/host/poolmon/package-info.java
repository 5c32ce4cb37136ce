/**
 * A live PoolMon: {@link dev.ringzero.host.poolmon.PoolMon} renders and sorts the pool's per-tag usage as
 * poolmon.exe does, {@link dev.ringzero.host.poolmon.PoolMonSession} refreshes it every second and reads its keys.
 * The shell's {@code kd:poolmon} feeds it from the host itself, {@code ringzero poolmon} from a running host's
 * {@code PoolTags} MXBean over the local JMX connector.
 */
package dev.ringzero.host.poolmon;
