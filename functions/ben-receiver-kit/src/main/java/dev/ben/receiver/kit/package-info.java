/**
 * Ben's receiver kit: what a webhook endpoint embeds to accept Standard Webhooks safely.
 *
 * <p>{@link dev.ben.receiver.kit.WebhookReceiver} verifies the signature (several secrets, ± tolerance, a reason per
 * rejection) and runs the user's {@link dev.ben.receiver.kit.WebhookHandler} at most once to completion per
 * {@code webhook-id} and handler scope, with {@link dev.ben.receiver.kit.IdempotentExecutor} on a DynamoDB table
 * (conditional writes, no transactions; a documented store policy; a payload check). Signing secrets come from
 * Secrets Manager or SSM Parameter Store ({@link dev.ben.receiver.kit.SigningSecrets}). Answers are
 * {@link dev.ben.receiver.kit.WebhookResponse}s wrapped in a {@link dev.ben.receiver.kit.WebhookResult} that says what
 * happened ({@link dev.ben.receiver.kit.Disposition}).
 * See docs/receiver.md.
 */
package dev.ben.receiver.kit;
