package dev.ben.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void eventId_forSameStreamRecord_isStable() {
        String first = EventIds.eventId("orders", "c81e728d9d4c2f636f067f89cc14862c");

        String again = EventIds.eventId("orders", "c81e728d9d4c2f636f067f89cc14862c");

        assertThat(again).isEqualTo(first);
        assertThat(first).startsWith("evt_").hasSize(4 + 27).matches("evt_[A-Za-z0-9_-]+");
    }

    @Test
    void eventId_knownValue_neverChangesAcrossReleases() {
        // Pinned (computed independently in Python: base64url(sha256(len-prefixed "event","orders","1")[:20])).
        // Changing the hash would re-notify every redelivered stream record after an upgrade.
        assertThat(EventIds.eventId("orders", "1")).isEqualTo("evt_QSZUC0nGXTGrKSNT6JnG6t4kPsc");
    }

    @Test
    void eventId_differentTableOrRecord_differs() {
        assertThat(EventIds.eventId("orders", "1")).isNotEqualTo(EventIds.eventId("orders", "2"));
        assertThat(EventIds.eventId("orders", "1")).isNotEqualTo(EventIds.eventId("payments", "1"));
    }

    @Test
    void eventId_partBoundaries_areUnambiguous() {
        assertThat(EventIds.eventId("ab", "c")).isNotEqualTo(EventIds.eventId("a", "bc"));
    }

    @Test
    void deliveryId_isStablePerEventAndEndpoint() {
        String eventId = EventIds.eventId("orders", "1");

        String a = EventIds.deliveryId(eventId, "ep_1");

        assertThat(a).isEqualTo(EventIds.deliveryId(eventId, "ep_1")).startsWith("dlv_").hasSize(31);
        assertThat(a).isNotEqualTo(EventIds.deliveryId(eventId, "ep_2"));
    }

    @Test
    void ids_blankParts_areRejectedWithClearMessage() {
        assertThatThrownBy(() -> EventIds.eventId("orders", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("streamEventId");
        assertThatThrownBy(() -> EventIds.deliveryId(null, "ep"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventId");
    }
}
