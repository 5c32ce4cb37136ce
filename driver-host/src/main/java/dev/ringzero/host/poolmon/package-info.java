/**
 * A live PoolMon: {@link dev.ringzero.host.poolmon.PoolMon} renders and sorts the pool's per-tag usage as
 * poolmon.exe does, {@link dev.ringzero.host.poolmon.PoolMonSession} refreshes it every second and reads its keys.
 * The shell's {@code kd:poolmon} feeds it from the host itself, {@code ringzero poolmon} from a running host's
 * {@code PoolTags} MXBean over the local JMX connector.
 *
 * <p>Rules: it renders rows it is handed ({@code Supplier<List<PoolTagUsage>>}) and knows neither the pool nor the
 * host, so the same code serves inside the host and in another process. One session runs on the caller's thread
 * until {@code q}; it never changes anything.
 */
package dev.ringzero.host.poolmon;
