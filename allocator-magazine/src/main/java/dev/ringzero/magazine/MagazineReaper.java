package dev.ringzero.magazine;

/**
 * The {@code magazine} list's side of threads that end and of lists that end: the balance-set manager's
 * reaping, a flush's and a delete's handling of magazines other threads hold, and the entries a delete
 * strands.
 *
 * <p>Java has no thread-exit hook. A magazine keeps its owner until the next thread adopts it or the
 * balance-set manager's scan ({@link #reapEnded}) sees that the owner has ended. To touch another thread's
 * magazine, this class first <em>adopts</em> it — only one whose owner is {@code null} or has ended, with
 * the same CAS a thread uses — so no two parties ever work on one magazine's slots; a magazine whose owner
 * lives on is only signalled ({@link Magazine#FLUSH}) or, after a delete, owed: its owner returns the
 * entries at its next call on the list (which then bug-checks, 0x50, as any use after delete), or this
 * class does once the owner has ended ({@link #reapStranded}). {@code REVOKED} and {@code DISCARDED} end
 * in {@code DRAINED} through one winning CAS, so a magazine's entries are drained exactly once.
 */
final class MagazineReaper {

    private final MagazineLookasideList list;

    MagazineReaper(MagazineLookasideList list) {
        this.list = list;
    }

    /**
     * Each scan of a live list: the magazines of threads that ended give what fits below Depth to the depot
     * and become free for the next thread, which gets whatever is left in them. Nothing stays with a thread
     * that ended. Under the registry's lock: no Free routine is called here.
     */
    void reapEnded() {
        Thread me = Thread.currentThread();
        MagazineStripes stripes = list.stripes;
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m == null) {
                continue;
            }
            Thread o = m.ownerAcquire();
            if (o != null && !o.isAlive() && (m.state & Magazine.DEAD_STATES) == 0 && m.adopt(o, me)) {
                list.spillWhatFits(m);
                m.release();
            }
        }
    }

    /** Marks every magazine dead: {@link Magazine#REVOKED} (deleted: entries owed) or {@link Magazine#DISCARDED}. */
    void revokeAll(int dead) {
        MagazineStripes stripes = list.stripes;
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m != null) {
                m.revoke(dead);
            }
        }
    }

    /**
     * {@code ExFlushLookasideListEx}'s part in the magazines (and a delete's, the list already dead): the
     * caller's own magazine and every one nobody live owns go to the Free routine now; those of threads
     * that live on are flagged {@link Magazine#FLUSH} on a live list (their owners return them at their next
     * operation) and owed on a deleted one.
     */
    void flushMagazines() {
        boolean live = list.isLive();
        Thread me = Thread.currentThread();
        MagazineStripes stripes = list.stripes;
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m == null) {
                continue;
            }
            Thread o = m.ownerAcquire();
            if (o == me) {
                drainOwned(m, live);
            } else if (Magazine.vacant(o) && m.adopt(o, me)) {
                drainOwned(m, live);
                m.release();
            } else if (live) {
                m.signal(Magazine.FLUSH); // owned by a live thread (perhaps one that adopted it a moment ago)
            }
        }
    }

    /** The caller owns {@code m}: its entries go to the Free routine (on a dead list, if it wins the claim). */
    private void drainOwned(Magazine m, boolean live) {
        if (live) {
            list.drainToFreeRoutine(m);
        } else if (m.claim(Magazine.REVOKED)) {
            list.drainToFreeRoutine(m);
        }
    }

    /** After a delete: whether a magazine still owes entries (its owner lived on past the delete). */
    boolean hasStranded() {
        MagazineStripes stripes = list.stripes;
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m != null && m.state == Magazine.REVOKED) {
                return true;
            }
        }
        return false;
    }

    /** After a delete: magazines whose owners have since ended return their entries. True when none are owed now. */
    boolean reapStranded() {
        Thread me = Thread.currentThread();
        MagazineStripes stripes = list.stripes;
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m == null || m.state != Magazine.REVOKED) {
                continue;
            }
            Thread o = m.ownerAcquire();
            if (Magazine.vacant(o) && m.adopt(o, me)) {
                if (m.claim(Magazine.REVOKED)) {
                    list.drainToFreeRoutine(m);
                }
                m.release();
            }
        }
        return !hasStranded();
    }

    /** Forgets owed entries without calling anything: the owner's memory is being reclaimed. */
    void discardStranded() {
        MagazineStripes stripes = list.stripes;
        for (int i = 0; i < stripes.count(); i++) {
            Magazine m = stripes.at(i);
            if (m != null) {
                m.discard();
            }
        }
    }
}
