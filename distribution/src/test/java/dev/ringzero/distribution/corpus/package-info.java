/**
 * The bad-driver corpus: one bug each, built into driver bundles at test time and run through
 * {@code bin/ringzero run} together ({@link dev.ringzero.distribution.BadDriverCorpusIT}).
 */
package dev.ringzero.distribution.corpus;
