/**
 * Domain records of the sender: endpoints (subscriptions), tenants, events, deliveries and attempts, and the
 * deterministic {@code evt_}/{@code dlv_} ids that make stream redelivery idempotent.
 */
package dev.ben.core.model;
