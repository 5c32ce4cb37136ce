package dev.ringzero.pool;

import dev.ringzero.api.Owner;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pool's owners: each driver's {@link OwnerState} (its index, stored in every block header it
 * allocates, and its view), found by {@link Owner} or by index; and the settings that decide an owner's
 * mode: the verifier (per owner, or the default), special pool per owner and per tag, revocation, the
 * pool's close.
 *
 * <p><b>Concurrency.</b> Every change of a setting, a new owner, a revocation and the close happen under
 * {@link #lock}, which orders them; each ends by recomputing the affected owners' volatile
 * {@link OwnerState#mode}, which is all the fast paths read. Lookups take no lock: {@link #byOwner} is
 * concurrent, {@link #byIndex} is copy-on-write (a volatile array replaced whole under the lock, so a
 * reader sees an owner fully built), and {@link #specialTags} is an immutable value replaced whole.
 */
final class OwnerTable {

    private final Object lock = new Object();
    private final PoolEngine engine;
    private final Map<Owner, OwnerState> byOwner = new ConcurrentHashMap<>();
    /** Copy-on-write, index = owner index (0 is never used: a zeroed header has owner 0); written under {@link #lock}. */
    private volatile OwnerState[] byIndex = new OwnerState[16];
    private int nextIndex = 1;
    private boolean verifiedByDefault;
    /** The verifier's special pool by tag (any owner); replaced under {@link #lock}. */
    private volatile SpecialPoolTags specialTags = SpecialPoolTags.NONE;
    /** Set by {@link #poolClosed()}: owners made later start closed too. */
    private boolean closed;

    OwnerTable(PoolEngine engine, boolean verifiedByDefault) {
        this.engine = engine;
        this.verifiedByDefault = verifiedByDefault;
    }

    /** The state of {@code owner}, made (with the next index) on its first use. */
    OwnerState state(Owner owner) {
        OwnerState s = byOwner.get(owner);
        if (s != null) {
            return s;
        }
        synchronized (lock) {
            s = byOwner.get(owner);
            if (s == null) {
                int index = nextIndex++;
                s = new OwnerState(index, owner, engine);
                refreshMode(s, null, null);
                if (closed) { // poolClosed() marked the owners it found under this lock; this one came later
                    s.poolClosed();
                }
                OwnerState[] table = byIndex;
                table = index >= table.length ? Arrays.copyOf(table, table.length * 2) : table.clone();
                table[index] = s;
                byIndex = table;
                byOwner.put(owner, s);
            }
            return s;
        }
    }

    /** The state of {@code owner}, or null when it never used the pool. */
    OwnerState find(Owner owner) {
        return byOwner.get(owner);
    }

    /** The owner whose index a header holds; a placeholder naming the index when there is none. */
    Owner ownerAt(int index) {
        OwnerState[] table = byIndex;
        OwnerState s = index > 0 && index < table.length ? table[index] : null;
        return s != null ? s.owner : new Owner("<owner " + index + ">", index);
    }

    void revoke(Owner owner) {
        OwnerState s = state(owner);
        synchronized (lock) {
            s.revoke();
        }
    }

    void setVerified(Owner owner, boolean verified) {
        OwnerState s = state(owner);
        synchronized (lock) {
            refreshMode(s, verified, null);
        }
    }

    void setVerifiedByDefault(boolean verified) {
        synchronized (lock) {
            verifiedByDefault = verified;
            byOwner.values().forEach(s -> refreshMode(s, null, null));
        }
    }

    void setSpecialPool(Owner owner, boolean special) {
        OwnerState s = state(owner);
        synchronized (lock) {
            refreshMode(s, null, special);
        }
    }

    void setSpecialPoolTag(String pattern, boolean special) {
        SpecialPoolTags.Pattern p = SpecialPoolTags.parse(pattern);
        synchronized (lock) {
            specialTags = special ? specialTags.with(p) : specialTags.without(p);
            byOwner.values().forEach(s -> refreshMode(s, null, null));
        }
    }

    /** The tags special pool serves, whoever allocates them. */
    SpecialPoolTags specialTags() {
        return specialTags;
    }

    List<String> specialPoolTags() {
        return specialTags.texts();
    }

    /** Marks every owner, and every owner made from now on, closed: their next call takes the slow path, which refuses it. */
    void poolClosed() {
        synchronized (lock) {
            closed = true;
            byOwner.values().forEach(OwnerState::poolClosed);
        }
    }

    /** Applies an owner's new settings (null: unchanged) and the pool-wide ones to its mode; under {@link #lock}. */
    private void refreshMode(OwnerState s, Boolean verified, Boolean special) {
        s.update(verified, special, verifiedByDefault, !specialTags.isEmpty());
    }
}
