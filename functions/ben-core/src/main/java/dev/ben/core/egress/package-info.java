/**
 * The SSRF guard: URL rules, refused address ranges (incl. IPv4-mapped/compatible, NAT64 and 6to4 forms) and
 * a single resolution whose validated addresses are the only ones the HTTP sender may connect to.
 */
package dev.ben.core.egress;
