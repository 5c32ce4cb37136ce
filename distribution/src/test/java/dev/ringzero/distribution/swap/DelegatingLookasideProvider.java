package dev.ringzero.distribution.swap;

import dev.ringzero.api.Owner;
import dev.ringzero.api.lookaside.LookasideInfo;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.spi.lookaside.LookasideProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * Test only: a second lookaside implementation, {@value #NAME}, for the live-swap test when the
 * {@code magazine} implementation is not in the distribution. It serves each list through the
 * {@code nt} implementation and remembers which lists it made; registered with service ranking 200,
 * above {@code nt}'s (100).
 */
public final class DelegatingLookasideProvider implements LookasideProvider, BundleActivator {

    public static final String NAME = "delegating";

    private final Set<Integer> mine = ConcurrentHashMap.newKeySet();
    private volatile LookasideProvider nt;
    private ServiceRegistration<LookasideProvider> registration;

    @Override
    public void start(BundleContext context) throws Exception {
        for (ServiceReference<LookasideProvider> ref : context.getServiceReferences(LookasideProvider.class, null)) {
            LookasideProvider p = context.getService(ref);
            if (p != null && p.name().equals("nt")) {
                nt = p;
            }
        }
        if (nt == null) {
            throw new IllegalStateException("no nt lookaside implementation to delegate to");
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 200);
        props.put("lookaside.implementation", NAME);
        registration = context.registerService(LookasideProvider.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
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
                        mine.remove(a);
                    }
                    return result;
                });
    }

    @Override
    public List<LookasideInfo> lists() {
        return nt.lists().stream().filter(l -> mine.contains(l.address())).toList();
    }
}
