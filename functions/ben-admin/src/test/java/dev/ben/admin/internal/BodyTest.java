package dev.ben.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BodyTest {

    private static final Set<String> FIELDS = Set.of("url", "eventTypes", "limit", "dryRun", "headers", "schedule");

    private static Body body(String json) {
        return Body.of(new ApiRequest("POST", "/", Map.of(), Map.of(), Map.of(), json, true), false, FIELDS);
    }

    private static ApiException refusal(String json) {
        try {
            body(json);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("accepted " + json);
    }

    @Test
    void anUnknownField_isRefusedByName() {
        ApiException e = refusal("{\"url\":\"x\",\"colour\":\"red\"}");

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo(ApiException.UNKNOWN_FIELD);
        assertThat(e.body().toString()).contains("field=colour");
    }

    @Test
    void notJson_notAnObject_duplicateKeysAndTrailingText_areMalformed() {
        for (String bad : new String[] {"{", "[1]", "\"x\"", "{\"url\":\"a\",\"url\":\"b\"}", "{} {}"}) {
            assertThat(refusal(bad).code()).as(bad).isEqualTo(ApiException.MALFORMED_JSON);
        }
    }

    @Test
    void wrongTypes_nameTheField() {
        assertThatThrownBy(() -> body("{\"url\":5}").string("url")).hasMessageContaining("'url' must be a string");
        assertThatThrownBy(() -> body("{\"limit\":1.5}").integer("limit")).hasMessageContaining("integer");
        assertThatThrownBy(() -> body("{\"limit\":99999999999}").integer("limit")).hasMessageContaining("integer");
        assertThatThrownBy(() -> body("{\"eventTypes\":[\"a\",3]}").strings("eventTypes"))
                .hasMessageContaining("array of strings");
        assertThatThrownBy(() -> body("{\"headers\":{\"X\":1}}").stringMap("headers"))
                .hasMessageContaining("object of string values");
        assertThatThrownBy(() -> body("{\"dryRun\":\"yes\"}").bool("dryRun")).hasMessageContaining("true or false");
    }

    @Test
    void absentAndNull_areTold_apart() {
        Body b = body("{\"schedule\":null}");

        assertThat(b.isNull("schedule")).isTrue();
        assertThat(b.string("schedule")).isEmpty();
        assertThat(b.isNull("url")).isFalse();
        assertThat(b.has("url")).isFalse();
    }

    @Test
    void anEmptyBody_isAnEmptyObject_onlyWhereTheBodyIsOptional() {
        ApiRequest empty = new ApiRequest("POST", "/", Map.of(), Map.of(), Map.of(), "", true);

        assertThat(Body.of(empty, true, FIELDS).has("url")).isFalse();
        assertThatThrownBy(() -> Body.of(empty, false, FIELDS)).hasMessageContaining("body is required");
    }
}
