package dev.ringzero.distribution.corpus;

import static dev.ringzero.api.Kd.DbgPrint;

import dev.ringzero.api.Driver;
import dev.ringzero.api.DriverObject;
import dev.ringzero.api.NtStatus;
import dev.ringzero.api.lookaside.LookasideLists;

/** Deletes the lookaside list {@link VictimDriver} owns: a bug check against this driver; the victim's list lives on. */
public final class ListThiefDriver implements Driver {

    @Override
    public NtStatus DriverEntry(DriverObject driverObject, String registryPath) {
        int list = Integer.parseUnsignedInt(System.getProperty(VictimDriver.LIST_PROPERTY), 16);
        DbgPrint("ListThiefDriver: deleting the lookaside list at %08X\n", list);
        driverObject.service(LookasideLists.class).ExDeleteNPagedLookasideList(list);
        return NtStatus.STATUS_SUCCESS;
    }
}
