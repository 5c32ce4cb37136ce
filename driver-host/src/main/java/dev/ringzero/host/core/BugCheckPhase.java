package dev.ringzero.host.core;

/**
 * What a driver was doing when it bug-checked: the host decides by the type (a fault on one of the driver's own
 * threads unloads that driver; one in {@code DriverEntry} has unloaded it already), and shows the text
 * ({@link #toString}: {@code DriverEntry}, {@code LookasideList: Worker}, {@code lookaside scan}).
 */
public sealed interface BugCheckPhase {

    /** In its {@code DriverEntry} (or its constructor, which runs on the same kind of worker). */
    BugCheckPhase DRIVER_ENTRY = new DriverEntry();
    /** In its {@code DriverUnload}. */
    BugCheckPhase DRIVER_UNLOAD = new DriverUnload();
    /** Found by the balance-set manager's scan of the lookaside lists (a list whose header is gone: {@code 0xCE}). */
    BugCheckPhase LOOKASIDE_SCAN = new LookasideScan();

    record DriverEntry() implements BugCheckPhase {
        @Override
        public String toString() {
            return "DriverEntry";
        }
    }

    record DriverUnload() implements BugCheckPhase {
        @Override
        public String toString() {
            return "DriverUnload";
        }
    }

    /**
     * Found by the I/O manager's checks after the driver's code ran: leaked pool, undeleted lists, threads left
     * running.
     *
     * @param why what ended the load
     */
    record Teardown(Ending why) implements BugCheckPhase {
        /** After {@code DriverUnload} (or a forced unload). */
        public static final Teardown UNLOAD = new Teardown(Ending.UNLOAD);
        /** After a {@code DriverEntry} that returned a failure status. */
        public static final Teardown DRIVER_ENTRY_FAILED = new Teardown(Ending.DRIVER_ENTRY_FAILED);
        /** After a {@code DriverEntry} that bug-checked. */
        public static final Teardown DRIVER_ENTRY_FAULTED = new Teardown(Ending.DRIVER_ENTRY_FAULTED);

        @Override
        public String toString() {
            return why.text;
        }
    }

    /** What ended a driver's load, so that the I/O manager tore it down. */
    enum Ending {
        UNLOAD("unload"), DRIVER_ENTRY_FAILED("DriverEntry failed"), DRIVER_ENTRY_FAULTED("DriverEntry faulted");

        private final String text;

        Ending(String text) {
            this.text = text;
        }
    }

    /**
     * On one of the driver's threads: a system thread it started ({@code PsCreateSystemThread}: {@code thread} is
     * its name) or a platform thread of its own ({@code thread <name>}). The driver is unloaded; the others go on.
     */
    record SystemThread(String driver, String thread) implements BugCheckPhase {
        @Override
        public String toString() {
            return driver + ": " + thread;
        }
    }

    /**
     * A call the host refuses driver code (the exit guard's {@code Runtime.exit}/{@code Runtime.halt}, the
     * lifecycle guard's {@code Bundle.stop}, ...): {@code routine} names it. Treated as a fault on the driver's
     * thread: the driver is unloaded.
     */
    record Refused(String driver, String routine) implements BugCheckPhase {
        @Override
        public String toString() {
            return driver + ": " + routine;
        }
    }

    record LookasideScan() implements BugCheckPhase {
        @Override
        public String toString() {
            return "lookaside scan";
        }
    }
}
