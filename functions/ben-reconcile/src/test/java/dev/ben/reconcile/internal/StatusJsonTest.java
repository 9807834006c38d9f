package dev.ben.reconcile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.reconcile.StatusEvent;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusJsonTest {

    /** As A's StatusService writes it: the stored webhook body verbatim inside the event. */
    private static final String BODY_1 = "{\"type\":\"x.changed\",\"id\":\"evt_1\",\"data\":{\"note\":\"caf\\u00e9 \\\"q\\\"\","
            + " \"n\":[1, 2,{\"z\":null}]},\"version\":7}";
    private static final String BODY_2 = "{ \"type\" : \"x.created\" , \"data\":{}}";

    @Test
    void events_keepEachPayloadAsTheExactTextSent_andReadTheFields() {
        String answer = "{\"entityId\":\"e|1\",\"tenantId\":\"t\",\"events\":[{\"eventId\":\"evt_1\","
                + "\"type\":\"x.changed\",\"entityId\":\"e|1\",\"version\":7,\"sequence\":\"123456789012345678901234\","
                + "\"createdAt\":\"2026-12-01T10:00:00Z\",\"payload\":" + BODY_1 + ",\"deliveries\":[{\"payload\":{}}]},"
                + "{\"eventId\":\"evt_0\",\"type\":\"x.created\",\"sequence\":\"12\",\"createdAt\":\"2026-12-01T09:00:00Z\","
                + "\"payload\":" + BODY_2 + "}]}";

        List<StatusEvent> events = StatusJson.events(answer, "e|1");

        assertThat(events).extracting(StatusEvent::payload).containsExactly(BODY_1, BODY_2);
        assertThat(events.get(0).version()).contains(BigInteger.valueOf(7));
        assertThat(events.get(0).sequence()).contains(new BigInteger("123456789012345678901234"));
        assertThat(events.get(1).version()).isEmpty();
        assertThat(events.get(1).position()).isEqualTo(BigInteger.valueOf(12));
        assertThat(events.get(0).position()).isEqualTo(BigInteger.valueOf(7));
    }

    @Test
    void anAnswerForAnotherEntity_orWithoutPayloadOrCreatedAt_isUnusable() {
        String ok = "{\"eventId\":\"evt_1\",\"createdAt\":\"2026-12-01T10:00:00Z\",\"payload\":{}}";

        assertThatThrownBy(() -> StatusJson.events("{\"entityId\":\"other\",\"events\":[" + ok + "]}", "e"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entityId");
        assertThatThrownBy(() -> StatusJson.events("{\"entityId\":\"e\",\"events\":[{\"eventId\":\"evt_1\","
                + "\"createdAt\":\"2026-12-01T10:00:00Z\"}]}", "e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusJson.events("{\"entityId\":\"e\",\"events\":[{\"eventId\":\"evt_1\","
                + "\"payload\":{}}]}", "e")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("createdAt");
        assertThatThrownBy(() -> StatusJson.events("not json", "e")).isInstanceOf(IllegalArgumentException.class);
        assertThat(StatusJson.events("{\"entityId\":\"e\",\"events\":[" + ok + "]}", "e")).hasSize(1);
    }
}
