/**
 * Ben's reconcile library: what a receiver (system B) runs on a schedule so that it converges with A when webhooks
 * were lost. B supplies its pending records ({@link dev.ben.reconcile.PendingSource}); the
 * {@link dev.ben.reconcile.Reconciler} asks A's generic status API ({@link dev.ben.reconcile.HttpStatusApi}, bearer
 * or SigV4) for each entity's missed events and runs them through B's own webhook handler under the events' own
 * ids, through the receiver kit's idempotent executor. {@link dev.ben.reconcile.ReconcileHandler} is the generic
 * Lambda function configured by environment. See docs/receiver.md.
 */
package dev.ben.reconcile;
