/** The retry schedule as a pure function {@code attempt → delay} (no clock inside), and jitter. */
package dev.ben.core.retry;
