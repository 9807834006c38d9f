package dev.ben.local.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode record(String eventName, String status) throws Exception {
        return JSON.readTree("""
                {"eventName":"%s","eventSource":"aws:dynamodb",
                 "dynamodb":{"Keys":{"orderId":{"S":"o-1"}},
                             "NewImage":{"orderId":{"S":"o-1"},"status":{"S":"%s"},"version":{"N":"3"},
                                         "tags":{"SS":["vip","eu"]}}}}
                """.formatted(eventName, status));
    }

    @Test
    void exactValues_matchAnyListedValue() throws Exception {
        FilterPattern pattern = FilterPattern.parse("{\"eventName\":[\"INSERT\",\"MODIFY\"]}");

        assertThat(pattern.matches(record("MODIFY", "PAID"))).isTrue();
        assertThat(pattern.matches(record("REMOVE", "PAID"))).isFalse();
    }

    @Test
    void nestedKeys_matchInsideTheImage() throws Exception {
        FilterPattern pattern = FilterPattern.parse("{\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[\"PAID\"]}}}}");

        assertThat(pattern.matches(record("MODIFY", "PAID"))).isTrue();
        assertThat(pattern.matches(record("MODIFY", "PENDING"))).isFalse();
        assertThat(pattern.matches(JSON.readTree("{\"eventName\":\"REMOVE\",\"dynamodb\":{\"Keys\":{}}}"))).isFalse();
    }

    @Test
    void prefix_anythingBut_andNumbersAsDynamoDbStrings() throws Exception {
        assertThat(FilterPattern.parse("{\"dynamodb\":{\"Keys\":{\"orderId\":{\"S\":[{\"prefix\":\"o-\"}]}}}}")
                .matches(record("INSERT", "PAID"))).isTrue();
        assertThat(FilterPattern.parse("{\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[{\"anything-but\":[\"PENDING\",\"CANCELLED\"]}]}}}}")
                .matches(record("INSERT", "PAID"))).isTrue();
        assertThat(FilterPattern.parse("{\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[{\"anything-but\":\"PAID\"}]}}}}")
                .matches(record("INSERT", "PAID"))).isFalse();
        assertThat(FilterPattern.parse("{\"dynamodb\":{\"NewImage\":{\"version\":{\"N\":[\"3\"]}}}}")
                .matches(record("INSERT", "PAID"))).isTrue();
    }

    @Test
    void exists_distinguishesPresentAndMissingFields() throws Exception {
        assertThat(FilterPattern.parse("{\"dynamodb\":{\"NewImage\":{\"status\":[{\"exists\":true}]}}}")
                .matches(record("INSERT", "PAID"))).isTrue();
        assertThat(FilterPattern.parse("{\"dynamodb\":{\"OldImage\":[{\"exists\":false}]}}")
                .matches(record("INSERT", "PAID"))).isTrue();
        assertThat(FilterPattern.parse("{\"dynamodb\":{\"NewImage\":[{\"exists\":false}]}}")
                .matches(record("INSERT", "PAID"))).isFalse();
    }

    @Test
    void arrayValuesInTheEvent_matchWhenOneElementMatches() throws Exception {
        FilterPattern pattern = FilterPattern.parse("{\"dynamodb\":{\"NewImage\":{\"tags\":{\"SS\":[\"eu\"]}}}}");

        assertThat(pattern.matches(record("INSERT", "PAID"))).isTrue();
    }

    @Test
    void severalPatterns_areAlternatives_andNoPatternsMatchEverything() throws Exception {
        List<FilterPattern> patterns = List.of(FilterPattern.parse("{\"eventName\":[\"INSERT\"]}"),
                FilterPattern.parse("{\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[\"PAID\"]}}}}"));

        assertThat(FilterPattern.anyMatches(patterns, record("MODIFY", "PAID"))).isTrue();
        assertThat(FilterPattern.anyMatches(patterns, record("MODIFY", "SHIPPED"))).isFalse();
        assertThat(FilterPattern.anyMatches(List.of(), record("REMOVE", "X"))).isTrue();
    }

    @Test
    void unsupportedOrMalformedPatterns_areRejectedWithTheReason() {
        assertThatThrownBy(() -> FilterPattern.parse("{\"a\":[{\"numeric\":[\">\",1]}]}"))
                .hasMessageContaining("unsupported filter operator 'numeric'");
        assertThatThrownBy(() -> FilterPattern.parse("{\"$or\":[{\"a\":[\"x\"]}]}")).hasMessageContaining("'$or'");
        assertThatThrownBy(() -> FilterPattern.parse("{\"a\":\"x\"}")).hasMessageContaining("arrays or objects");
        assertThatThrownBy(() -> FilterPattern.parse("{\"a\":[]}")).hasMessageContaining("empty match list");
        assertThatThrownBy(() -> FilterPattern.parse("{nope")).hasMessageContaining("not valid JSON");
    }
}
