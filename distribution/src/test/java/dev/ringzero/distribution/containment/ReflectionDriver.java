package dev.ringzero.distribution.containment;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.Lists;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.SLists;
import dev.ringzero.api.memory.SystemMemory;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code setAccessible} on every field and method, up the class hierarchy, of every service object it is handed
 * (its driver object and what {@code service(...)} gives), skipping only what is public already. Prints, for
 * each object, how many were refused and any that was not; then tries once more without catching the refusal.
 */
public final class ReflectionDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        List<Object> handed = List.of(driverObject, driverObject.service(PoolAllocator.class),
                driverObject.service(SystemMemory.class), driverObject.service(Lists.class),
                driverObject.service(SLists.class), driverObject.service(LookasideLists.class));
        AccessibleObject last = null;
        for (Object o : handed) {
            int refused = 0;
            List<String> reached = new ArrayList<>();
            for (AccessibleObject member : hiddenMembers(o.getClass())) {
                try {
                    member.setAccessible(true);
                    reached.add(((Member) member).getName());
                } catch (InaccessibleObjectException e) {
                    refused++;
                    last = member;
                }
            }
            DbgPrint("ReflectionDriver: %s: %d member(s) refused, reached %s\n", o.getClass().getName(), refused, reached);
        }
        if (last != null) {
            last.setAccessible(true);   // not caught: the refusal escapes DriverEntry
        }
        return NtStatus.STATUS_SUCCESS;
    }

    /** The fields and methods of {@code type} and its superclasses that are not public members of exported public classes. */
    private static List<AccessibleObject> hiddenMembers(Class<?> type) {
        List<AccessibleObject> members = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            boolean open = Modifier.isPublic(c.getModifiers()) && c.getModule().isExported(c.getPackageName());
            for (var f : c.getDeclaredFields()) {
                if (!(open && Modifier.isPublic(f.getModifiers()))) {
                    members.add(f);
                }
            }
            for (var m : c.getDeclaredMethods()) {
                if (!(open && Modifier.isPublic(m.getModifiers()))) {
                    members.add(m);
                }
            }
        }
        return members;
    }
}
