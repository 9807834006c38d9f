/** Structured JSON log lines (secrets redacted) and CloudWatch Embedded Metric Format lines. */
package dev.ben.core.observability;
