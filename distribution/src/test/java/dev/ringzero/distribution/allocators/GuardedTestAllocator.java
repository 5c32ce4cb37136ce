package dev.ringzero.distribution.allocators;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.lookaside.LookasideProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test only: a lookaside implementation deployed from {@code allocators/} (AllocatorDeployIT). A Declarative
 * Services component (its XML is written by the test), so its bundle imports no OSGi package: the allocator
 * contract. It serves each list through the built-in {@code nt}, which SCR binds, and remembers which lists it
 * made. {@link Forget} is named only on a list's delete: after its jar is deleted and the framework refreshed, that
 * class loads only because the host preloaded it.
 */
public final class GuardedTestAllocator implements LookasideProvider {

    public static final String NAME = "guarded";

    private final Set<Integer> mine = ConcurrentHashMap.newKeySet();
    private volatile LookasideProvider nt;

    /** SCR's bind method for the reference to {@code nt}. */
    public void bindNt(LookasideProvider p) {
        nt = p;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LookasideLists forDriver(Owner owner, PoolAllocator pool) {
        LookasideLists target = nt.forDriver(owner, pool);
        return (LookasideLists) Proxy.newProxyInstance(LookasideLists.class.getClassLoader(), new Class<?>[] {LookasideLists.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    String m = method.getName();
                    if (m.startsWith("ExInitialize") && args != null && args.length > 0 && args[0] instanceof Integer a) {
                        mine.add(a);
                    } else if (m.startsWith("ExDelete") && args != null && args.length > 0 && args[0] instanceof Integer a) {
                        Forget.list(mine, a);
                    }
                    return result;
                });
    }

    @Override
    public List<LookasideInfo> lists() {
        return nt.lists().stream().filter(l -> mine.contains(l.address())).toList();
    }

    /** Used only when a list is deleted. */
    static final class Forget {
        static void list(Set<Integer> mine, int address) {
            mine.remove(address);
        }
    }
}
