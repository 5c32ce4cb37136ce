package dev.ringzero.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.memory.PoolTag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One thread's tag table past its first 16 slots: it grows, and no key is lost or counted twice. */
class TagCountersTest {

    private static final int KEYS = 200; // the table starts at 16 slots and grows at 3/4 full: 12, 24, 48, 96, 192

    private static long keyNumber(int n) {
        // tags, owners and both pools mixed, so that keys collide in the low bits the table indexes by
        return TagCounters.key(PoolTag.of(String.format("T%03d", n % 100)), 1 + n / 100, (n & 1) == 0);
    }

    private static Map<Long, TagCounters.Row> rows(TagCounters counters) {
        Map<Long, TagCounters.Row> rows = new HashMap<>();
        counters.forEach(r -> assertThat(rows.put(r.key(), r)).as("key %X listed twice", r.key()).isNull());
        return rows;
    }

    @Test
    void shouldKeepEveryKeysCountsExactAsTheTableGrows() {
        TagCounters counters = new TagCounters();
        List<Long> keys = new ArrayList<>();
        for (int n = 0; n < KEYS; n++) {
            long key = keyNumber(n);
            keys.add(key);
            for (int i = 0; i <= n % 3; i++) {
                counters.allocated(key, 10L * (n + 1));
            }
            assertThat(rows(counters)).as("after %d keys", n + 1).hasSize(n + 1);
        }
        // a second round on every key finds its counter again (in the grown table), never a new one
        for (int n = 0; n < KEYS; n++) {
            counters.freed(keys.get(n), 10L * (n + 1));
        }
        Map<Long, TagCounters.Row> rows = rows(counters);
        assertThat(rows).hasSize(KEYS);
        for (int n = 0; n < KEYS; n++) {
            long allocs = 1 + n % 3;
            assertThat(rows.get(keys.get(n))).as("key number %d", n)
                    .isEqualTo(new TagCounters.Row(keys.get(n), allocs, 1, (allocs - 1) * 10L * (n + 1)));
        }
    }

    @Test
    void shouldCountAgainstTheRightKeyWhenKeysAlternate() {
        TagCounters counters = new TagCounters();
        long a = keyNumber(1);
        long b = keyNumber(2);
        counters.allocated(a, 100);
        counters.allocated(b, 7);
        counters.allocated(a, 100);
        counters.freed(b, 7);
        counters.freed(a, 100);
        assertThat(rows(counters)).containsOnly(
                Map.entry(a, new TagCounters.Row(a, 2, 1, 100)),
                Map.entry(b, new TagCounters.Row(b, 1, 1, 0)));
    }

    @Test
    void shouldTakeTheKeyApartAgain() {
        int tag = PoolTag.of("Ab1!");
        long paged = TagCounters.key(tag | PoolTag.PROTECTED_POOL, 0x1234, true);
        assertThat(TagCounters.tagOf(paged)).isEqualTo(tag);
        assertThat(TagCounters.ownerOf(paged)).isEqualTo(0x1234);
        assertThat(TagCounters.pagedOf(paged)).isTrue();
        long nonPaged = TagCounters.key(tag, 0x1234, false);
        assertThat(TagCounters.pagedOf(nonPaged)).isFalse();
        assertThat(TagCounters.ownerOf(nonPaged)).isEqualTo(0x1234);
        assertThat(nonPaged).isNotEqualTo(paged).isEqualTo(TagCounters.key(tag, 0x1234, 0L));
        assertThat(TagCounters.pagedKeyBit(1)).isEqualTo(TagCounters.PAGED_KEY_BIT);
        assertThat(TagCounters.pagedKeyBit(0)).isZero();
    }
}
