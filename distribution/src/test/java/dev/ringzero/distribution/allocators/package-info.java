/** Test only: what AllocatorDeployIT deploys into {@code allocators/} and the drivers whose traffic it serves. */
package dev.ringzero.distribution.allocators;
