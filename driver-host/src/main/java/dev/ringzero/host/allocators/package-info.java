/**
 * Live deployment of lookaside implementations (issue 21), the part that knows nothing of OSGi: which
 * implementations the host knows and where each came from ({@link dev.ringzero.host.allocators.AllocatorCatalog}),
 * and loading an implementation's classes before its jar can go ({@link dev.ringzero.host.allocators.ClassPreload}).
 * The framework's side — tracking the services of the bundles in {@code allocators/}, their trust level — is
 * {@code dev.ringzero.host.felix.AllocatorBundles}.
 */
package dev.ringzero.host.allocators;
