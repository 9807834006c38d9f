/**
 * Sending webhooks: {@link dev.ben.core.http.HttpWebhookSender} (HTTP/1.1 on sockets connected to validated
 * addresses, TLS with SNI and host name verification, hard deadline, capped body read, bounded parallelism).
 */
package dev.ben.core.http;
