package dev.ringzero.pool;

import dev.ringzero.api.Owner;

/**
 * What the pool knows about one owner: its index (stored in every block header it allocates), its
 * verifier and special-pool settings, and its {@link PoolView}.
 */
final class OwnerState {

    static final int VERIFIED = 1;
    static final int SPECIAL = 2;
    /** The pool is closed: folded into {@link #mode} so the fast paths test one volatile field, not two. */
    static final int POOL_CLOSED = 4;
    /**
     * Special pool serves some tags (whoever allocates them): every allocation takes the checked path,
     * which asks the tag patterns, and so does every free (the fast paths test the whole mode); the fast
     * paths' code stays as it is.
     */
    static final int SPECIAL_TAGS = 8;
    /**
     * The owner's driver was unloaded: its view is revoked for good, every call takes the checked path,
     * which raises 0xCE. Folded into {@link #mode} like {@link #POOL_CLOSED}: the fast paths pay nothing.
     */
    static final int REVOKED = 16;

    final int index;
    final Owner owner;
    final PoolView view;

    /** This owner's own verifier setting, or {@code null} to follow the default. Written under the owner table's lock. */
    private Boolean verifiedSetting;
    private boolean special;
    private boolean poolClosed;
    private boolean revoked;

    /**
     * {@link #VERIFIED} | {@link #SPECIAL} | {@link #POOL_CLOSED} | {@link #SPECIAL_TAGS} | {@link #REVOKED}, derived from the settings, the
     * default and the pool's state; 0 on the fast path. Volatile: a setting changed on one thread applies to the next allocation on any other.
     */
    volatile int mode;

    /**
     * The last tag this owner allocated with that passed the tag checks: a racy cache (any value a
     * thread reads was checked by some thread), so the fast path skips the checks for a repeated tag.
     */
    long checkedTag = NO_TAG_CHECKED;

    /** {@link #checkedTag} before any tag passed: equal to no tag, since a tag is kept zero-extended. */
    static final long NO_TAG_CHECKED = -1L;

    /** The cache of the first thread that used this owner (see {@code PoolEngine.cache}, {@link ThreadCaches}); racy by design. */
    ThreadCache stickyCache;

    OwnerState(int index, Owner owner, PoolEngine engine) {
        this.index = index;
        this.owner = owner;
        this.view = new PoolView(engine, this);
    }

    boolean verified() {
        return (mode & VERIFIED) != 0;
    }

    boolean special() {
        return (mode & SPECIAL) != 0;
    }

    /** Marks the pool closed: every later call takes the slow path, which reports it; under the owner table's lock. */
    void poolClosed() {
        poolClosed = true;
        mode |= POOL_CLOSED;
    }

    /** Revokes this owner's view for good: every later call takes the slow path, which raises 0xCE; under the owner table's lock. */
    void revoke() {
        revoked = true;
        mode |= REVOKED;
    }

    boolean revoked() {
        return (mode & REVOKED) != 0;
    }

    /** Recomputes {@link #mode}; called under the owner table's lock. */
    void update(Boolean verifiedSetting, Boolean special, boolean verifiedByDefault, boolean specialTags) {
        if (verifiedSetting != null) {
            this.verifiedSetting = verifiedSetting;
        }
        if (special != null) {
            this.special = special;
        }
        boolean verified = this.verifiedSetting != null ? this.verifiedSetting : verifiedByDefault;
        mode = (verified ? VERIFIED : 0) | (this.special ? SPECIAL : 0) | (poolClosed ? POOL_CLOSED : 0)
                | (specialTags ? SPECIAL_TAGS : 0) | (revoked ? REVOKED : 0);
    }
}
