package dev.ringzero.host.core;

/**
 * Where a driver's code lives: the loader of its entry class. The core asks it for the class by name and makes
 * the driver itself ({@link DriverImage#newDriver}), on the driver's system worker; the launcher implements it over
 * a bundle ({@code Bundle.loadClass}), the in-process host and the test kit over a class already loaded. So the core
 * never calls into the OSGi package, and every failure to make a driver is worded in one place.
 */
public interface DriverCode {

    /**
     * The class named {@code className}, as the driver's own code sees it.
     *
     * @throws ClassNotFoundException when the driver's code has no such class
     */
    Class<?> loadClass(String className) throws ClassNotFoundException;

    /** The code's holder, for messages: {@code bundle test.driver.missing}. */
    String holder();

    /** The code of an entry class already loaded (the in-process host, the test kit): that class alone. */
    static DriverCode of(Class<?> entryClass) {
        return new DriverCode() {
            @Override
            public Class<?> loadClass(String className) throws ClassNotFoundException {
                if (!className.equals(entryClass.getName())) {
                    throw new ClassNotFoundException(className);
                }
                return entryClass;
            }

            @Override
            public String holder() {
                return "the loader of " + entryClass.getName();
            }
        };
    }
}
