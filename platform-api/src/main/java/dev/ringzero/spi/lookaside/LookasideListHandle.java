package dev.ringzero.spi.lookaside;

import dev.ringzero.api.BugCheck;
import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The executive's side of one live list, as its {@link LookasideCache} sees it: the header in the caller's
 * memory, the list's Allocate and Free routines (the miss paths), and whether the list is still live. Made by
 * the executive; an implementation only calls it.
 */
@ProviderType
public interface LookasideListHandle {

    /** The header's system address, as the driver passes it and {@code !lookaside} shows it. */
    int address();

    /**
     * NT's header ({@link LookasideHeader} reads and writes its fields): {@code ListHead}, the S-list the
     * cache may use as its store, through {@link dev.ringzero.api.memory.SLists} and {@link SListChains}.
     */
    MemorySegment header();

    /** The address space the entries live in: an entry's link is its first four bytes. */
    SystemMemory memory();

    /** The driver that initialized the list. */
    Owner owner();

    /**
     * Whether the list is still live: cleared once, before {@link LookasideCache#listGone(boolean)}, when it is
     * deleted, purged or dropped. A volatile read.
     */
    boolean isLive();

    /**
     * The miss path of an allocate: {@code Allocate(Type, Size, Tag)} (or {@code AllocateEx(..., Lookaside)}),
     * with the header's values. Counts nothing: the cache counts {@code AllocateMisses} itself.
     *
     * @return the new entry's address, 0 when the routine failed
     */
    int allocateFromRoutine();

    /** The miss path of a free, and where a flush or delete returns entries: the list's Free routine. Counts nothing. */
    void freeToRoutine(int entry);

    /**
     * NT's 0x50 for a call on this list once it is gone, naming what became of it: a cache that finds the list
     * dead on its own path (a per-thread cache revoked by a delete) throws this.
     */
    BugCheck noLiveList(String routine);
}
