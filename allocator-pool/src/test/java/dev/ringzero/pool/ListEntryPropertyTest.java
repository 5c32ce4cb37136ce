package dev.ringzero.pool;

import static dev.ringzero.api.memory.PoolType.NonPagedPool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringzero.api.Owner;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import dev.ringzero.api.memory.SystemMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random {@code LIST_ENTRY} operations on pool memory agree with a {@link ArrayDeque} model. */
class ListEntryPropertyTest {

    private static final int ENTRIES = 24;
    private static final int TAG = PoolTag.of("porP");

    private static Path folder;
    private static ExecutivePoolComponent pool;
    private static PoolAllocator ex;
    private static SystemMemory memory;
    private static Lists lists;

    @BeforeContainer
    static void startPool() throws Exception {
        folder = Files.createTempDirectory("ringzero-lists");
        pool = new ExecutivePoolComponent(Map.of(PoolConfig.DATA_FOLDER, folder.toString(), PoolConfig.CHUNK_SIZE, "1M"));
        ex = pool.forDriver(new Owner("ListProperty", 1));
        memory = pool.memory();
        lists = new Lists(memory);
    }

    @AfterContainer
    static void closePool() throws Exception {
        pool.close();
        Files.deleteIfExists(folder);
    }

    /**
     * Each value encodes one operation ({@code value % 5}: insert head, insert tail, remove head,
     * remove tail, remove a chosen entry) and which entry it uses ({@code value / 5}).
     */
    @Property(tries = 300)
    void listOperationsMatchTheModel(@ForAll @Size(max = 120) List<@IntRange(min = 0, max = 9999) Integer> operations) {
        int head = ex.ExAllocatePoolWithTag(NonPagedPool, 8, TAG);
        List<Integer> entries = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            entries.add(ex.ExAllocatePoolWithTag(NonPagedPool, 12, TAG) + 4);
        }
        ArrayDeque<Integer> model = new ArrayDeque<>();
        List<Integer> free = new ArrayList<>(entries);
        lists.InitializeListHead(head);
        for (int value : operations) {
            int pick = value / 5;
            switch (value % 5) {
                case 0, 1 -> {
                    if (!free.isEmpty()) {
                        int e = free.remove(pick % free.size());
                        if (value % 5 == 0) {
                            lists.InsertHeadList(head, e);
                            model.addFirst(e);
                        } else {
                            lists.InsertTailList(head, e);
                            model.addLast(e);
                        }
                    }
                }
                case 2 -> {
                    int removed = lists.RemoveHeadList(head);
                    if (model.isEmpty()) {
                        assertThat(removed).isEqualTo(head);
                    } else {
                        assertThat(removed).isEqualTo(model.removeFirst());
                        free.add(removed);
                    }
                }
                case 3 -> {
                    int removed = lists.RemoveTailList(head);
                    if (model.isEmpty()) {
                        assertThat(removed).isEqualTo(head);
                    } else {
                        assertThat(removed).isEqualTo(model.removeLast());
                        free.add(removed);
                    }
                }
                default -> {
                    if (!model.isEmpty()) {
                        List<Integer> inList = new ArrayList<>(model);
                        int e = inList.get(pick % inList.size());
                        boolean empty = lists.RemoveEntryList(e);
                        model.remove(e);
                        assertThat(empty).isEqualTo(model.isEmpty());
                        free.add(e);
                    }
                }
            }
            assertMatches(head, model);
        }
        for (int e : entries) {
            ex.ExFreePoolWithTag(e - 4, TAG);
        }
        ex.ExFreePoolWithTag(head, TAG);
    }

    private static void assertMatches(int head, ArrayDeque<Integer> model) {
        assertThat(lists.IsListEmpty(head)).isEqualTo(model.isEmpty());
        List<Integer> forward = new ArrayList<>();
        for (int e = lists.flink(head); e != head && forward.size() <= ENTRIES; e = lists.flink(e)) {
            forward.add(e);
        }
        assertThat(forward).containsExactlyElementsOf(model);
        List<Integer> backward = new ArrayList<>();
        for (int e = lists.blink(head); e != head && backward.size() <= ENTRIES; e = lists.blink(e)) {
            backward.add(e);
        }
        List<Integer> reversed = new ArrayList<>();
        for (Iterator<Integer> it = model.descendingIterator(); it.hasNext(); ) {
            reversed.add(it.next());
        }
        assertThat(backward).containsExactlyElementsOf(reversed);
    }
}
