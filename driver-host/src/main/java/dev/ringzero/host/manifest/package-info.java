/**
 * A driver bundle as its manifest describes it, judged before any framework sees it: {@link
 * dev.ringzero.host.manifest.DriverJar} (a readable jar with a bundle name), {@link
 * dev.ringzero.host.manifest.DriverManifest} (its entry class, service name and contract verdict, read once) and
 * {@link dev.ringzero.host.manifest.DriverContract}, the one place that names the packages a driver may import (the
 * API's driver contract and the JDK's; never the provider SPI, OSGi or the executive). {@link
 * dev.ringzero.host.manifest.ApiPackages} is the other side: what the system bundle exports.
 *
 * <h2>Rules</h2>
 * Pure functions of the manifest's text: thread-safe, no framework, no class loading (a driver's class is never
 * loaded to judge it). The header names come from the API ({@link dev.ringzero.api.RingzeroDriver#HEADER},
 * {@link dev.ringzero.api.RingzeroDriver#NAME_HEADER}) and are spelled nowhere here. A refusal is one line that names
 * what was wrong ({@code refused: it imports package org.osgi.framework (...)}); the loader prints it and installs
 * nothing.
 */
package dev.ringzero.host.manifest;
