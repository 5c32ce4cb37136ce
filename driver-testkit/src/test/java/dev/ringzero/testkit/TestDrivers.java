package dev.ringzero.testkit;

import static dev.ringzero.api.Kd.DbgPrint;
import static dev.ringzero.api.memory.PoolType.NonPagedPool;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.RingzeroDriver;
import dev.ringzero.api.lookaside.LookasideLists;
import dev.ringzero.api.memory.NtLayouts;
import dev.ringzero.api.memory.PoolAllocator;
import dev.ringzero.api.memory.PoolTag;
import org.osgi.annotation.bundle.Header;

/** Small drivers that behave well or badly in one way each, for the kit's own tests. */
public final class TestDrivers {

    static final int TAG = PoolTag.fromDisplay("Test");
    static final int LEAK_TAG = PoolTag.fromDisplay("Leak");

    private TestDrivers() {
    }

    /** Allocates a lookaside list and gives everything back in DriverUnload. */
    public static final class Clean implements Driver {
        private PoolAllocator pool;
        private LookasideLists lookaside;
        private int header;

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            pool = driverObject.service(PoolAllocator.class);
            lookaside = driverObject.service(LookasideLists.class);
            DbgPrint("Clean: Entering DriverEntry\n");
            header = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
            lookaside.ExInitializeNPagedLookasideList(header, null, null, 0, 32, TAG, 0);
            DbgPrint("Clean: lookaside list at %08X, %d-byte entries\n", header, 32);
            driverObject.setDriverUnload(d -> {
                lookaside.ExDeleteNPagedLookasideList(header);
                pool.ExFreePoolWithTag(header, TAG);
                DbgPrint("Clean: unloaded\n");
            });
            return NtStatus.STATUS_SUCCESS;
        }
    }

    /** Allocates 100 entries (all misses) and frees them back: a busy list the tuner deepens. */
    public static final class Busy implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            LookasideLists lookaside = driverObject.service(LookasideLists.class);
            int header = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
            lookaside.ExInitializeNPagedLookasideList(header, null, null, 0, 32, TAG, 0);
            int[] entries = new int[100];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = lookaside.ExAllocateFromNPagedLookasideList(header);
            }
            for (int entry : entries) {
                lookaside.ExFreeToNPagedLookasideList(header, entry);
            }
            driverObject.setDriverUnload(d -> {
                lookaside.ExDeleteNPagedLookasideList(header);
                pool.ExFreePoolWithTag(header, TAG);
            });
            return NtStatus.STATUS_SUCCESS;
        }
    }

    /** Forgets a 24-byte block tagged 'Leak'. */
    public static final class Leaky implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            driverObject.service(PoolAllocator.class).ExAllocatePoolWithTag(NonPagedPool, 24, LEAK_TAG);
            driverObject.setDriverUnload(d -> DbgPrint("Leaky: unloaded\n"));
            return NtStatus.STATUS_SUCCESS;
        }
    }

    /** Frees its lookaside list's header without deleting the list, and fails. */
    public static final class ForgetsItsList implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            int header = pool.ExAllocatePoolWithTag(NonPagedPool, NtLayouts.NPAGED_LOOKASIDE_LIST.byteSize(), TAG);
            driverObject.service(LookasideLists.class).ExInitializeNPagedLookasideList(header, null, null, 0, 32, LEAK_TAG, 0);
            return NtStatus.STATUS_UNSUCCESSFUL;
        }
    }

    /** Frees a block twice. */
    public static final class DoubleFree implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            PoolAllocator pool = driverObject.service(PoolAllocator.class);
            int block = pool.ExAllocatePoolWithTag(NonPagedPool, 16, TAG);
            pool.ExFreePoolWithTag(block, TAG);
            pool.ExFreePoolWithTag(block, TAG);
            return NtStatus.STATUS_SUCCESS;
        }
    }

    /** Dereferences a null pointer: an exception escaping DriverEntry. */
    public static final class Crashes implements Driver {
        private String device;

        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            DbgPrint("Crashes: opening %s\n", "the device");
            return device.isEmpty() ? NtStatus.STATUS_UNSUCCESSFUL : NtStatus.STATUS_SUCCESS;
        }
    }

    /** Returns an error status after printing, like the tutorial's driver. */
    public static final class Refuses implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            DbgPrint("Refuses: no device here\n");
            return NtStatus.STATUS_DEVICE_CONFIGURATION_ERROR;
        }
    }

    /** Names itself with the API's annotation, as a driver bundle does. */
    @RingzeroDriver(name = "FancyName")
    public static final class Named implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            DbgPrint("%s: %s\n", driverObject.ServiceKeyName(), registryPath);
            return NtStatus.STATUS_SUCCESS;
        }
    }

    /** Names itself with hand-written headers, as drivers did before {@code @RingzeroDriver}. */
    @Header(name = "Ringzero-Driver", value = "dev.ringzero.testkit.TestDrivers$HandNamed")
    @Header(name = "Ringzero-Driver-Name", value = "OldFancyName")
    public static final class HandNamed implements Driver {
        @Override
        public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
            DbgPrint("%s: %s\n", driverObject.ServiceKeyName(), registryPath);
            return NtStatus.STATUS_SUCCESS;
        }
    }
}
