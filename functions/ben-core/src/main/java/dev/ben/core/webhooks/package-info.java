/**
 * Standard Webhooks (v1, symmetric) signing and verification, pure JDK.
 *
 * <p>Headers {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}; the signature is
 * {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}; secrets are {@code whsec_<base64>}.
 * Senders use {@link dev.ben.core.webhooks.WebhookSigner}, receivers {@link dev.ben.core.webhooks.WebhookVerifier},
 * new secrets come from {@link dev.ben.core.webhooks.WebhookSecret#generate()}.
 */
package dev.ben.core.webhooks;
