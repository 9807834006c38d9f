/**
 * The delivery state machine: {@link dev.ben.core.delivery.DeliveryPolicy#next} turns an HTTP outcome into a
 * {@link dev.ben.core.delivery.Transition} (new delivery state, verdict, endpoint update, attempt record).
 */
package dev.ben.core.delivery;
