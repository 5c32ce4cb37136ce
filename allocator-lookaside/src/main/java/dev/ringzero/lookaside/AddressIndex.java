package dev.ringzero.lookaside;

import java.util.Collection;

/**
 * An immutable open-addressing map from a header's system address to its live list: what every
 * {@code ExAllocateFrom...} call consults to find the handle registered against its address.
 *
 * <p>Lists are initialized and deleted rarely and looked up on every call, so the registry rebuilds
 * the whole table on each change, under its lock, and publishes it through a volatile field. A lookup
 * is a multiplicative hash, one or two array probes, and no boxing; a reader never sees a table being
 * built. Load factor is at most one half, so an absent key's probe ends at an empty slot quickly.
 */
final class AddressIndex {

    static final AddressIndex EMPTY = new AddressIndex(new int[4], new RegisteredList[4], 2);

    private final int[] keys;
    private final RegisteredList[] values;
    private final int shift;

    private AddressIndex(int[] keys, RegisteredList[] values, int bits) {
        this.keys = keys;
        this.values = values;
        this.shift = 32 - bits;
    }

    static AddressIndex of(Collection<RegisteredList> lists) {
        int bits = 2;
        while ((1 << bits) < lists.size() * 2) {
            bits++;
        }
        int[] keys = new int[1 << bits];
        RegisteredList[] values = new RegisteredList[1 << bits];
        int mask = (1 << bits) - 1;
        for (RegisteredList l : lists) {
            int i = (l.address * 0x9E37_79B9) >>> (32 - bits);
            while (values[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = l.address;
            values[i] = l;
        }
        return new AddressIndex(keys, values, bits);
    }

    /** The list whose header is at {@code address}, or {@code null}. */
    RegisteredList get(int address) {
        int mask = values.length - 1;
        int i = (address * 0x9E37_79B9) >>> shift;
        while (true) {
            RegisteredList v = values[i];
            if (v == null || keys[i] == address) {
                return v;
            }
            i = (i + 1) & mask;
        }
    }
}
