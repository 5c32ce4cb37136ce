package dev.ringzero.distribution.badjars;

/** Named as a bundle's entry class, but implements no {@code Driver}: the host cannot create a driver from it. */
public final class NotADriver {

    public NotADriver() {
    }
}
