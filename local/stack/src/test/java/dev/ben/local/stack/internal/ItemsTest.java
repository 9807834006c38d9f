package dev.ben.local.stack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemsTest {

    private final ObjectMapper json = new ObjectMapper();

    private ObjectNode item(String text) throws Exception {
        return (ObjectNode) json.readTree(text);
    }

    @Test
    void normalizeItem_writesNumbersAsDynamoDbStoresThem_recursively() throws Exception {
        ObjectNode raw = item("""
                {"a":{"N":"12.50"},"b":{"NS":["1.0","-0.0","1E+2"]},
                 "m":{"M":{"x":{"N":"007"}}},"l":{"L":[{"N":"3.000"},{"S":"3.000"}]}}""");

        JsonNode normal = Items.normalizeItem(raw);

        assertThat(normal).isEqualTo(item("""
                {"a":{"N":"12.5"},"b":{"NS":["1","0","100"]},
                 "m":{"M":{"x":{"N":"7"}}},"l":{"L":[{"N":"3"},{"S":"3.000"}]}}"""));
    }

    @Test
    void sameItem_comparesSetsAsSetsAndNumbersByValue_butListsInOrder() throws Exception {
        assertThat(Items.sameItem(item("{\"s\":{\"SS\":[\"a\",\"b\"]},\"n\":{\"N\":\"1.0\"}}"),
                item("{\"n\":{\"N\":\"1\"},\"s\":{\"SS\":[\"b\",\"a\"]}}"))).isTrue();
        assertThat(Items.sameItem(item("{\"l\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"}]}}"),
                item("{\"l\":{\"L\":[{\"S\":\"b\"},{\"S\":\"a\"}]}}"))).isFalse();
        assertThat(Items.sameItem(item("{\"a\":{\"S\":\"x\"}}"), item("{\"a\":{\"S\":\"x\"},\"b\":{\"NULL\":true}}")))
                .isFalse();
        assertThat(Items.sameItem(null, null)).isTrue();
        assertThat(Items.sameItem(item("{}"), null)).isFalse();
    }

    @Test
    void key_extractsKeyAttributes_orNullWhenOneIsMissing() throws Exception {
        ObjectNode full = item("{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"2.0\"},\"other\":{\"S\":\"o\"}}");

        assertThat(Items.key(full, List.of("pk", "sk"))).isEqualTo(item("{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"2\"}}"));
        assertThat(Items.key(full, List.of("pk", "missing"))).isNull();
        assertThat(Items.key(null, List.of("pk"))).isNull();
    }

    @Test
    void keyString_isTheSameForEquivalentKeys_andDiffersPerTable() throws Exception {
        ObjectNode a = Items.key(item("{\"pk\":{\"N\":\"1.0\"}}"), List.of("pk"));
        ObjectNode b = Items.key(item("{\"pk\":{\"N\":\"1\"}}"), List.of("pk"));

        assertThat(Items.keyString("t", a, List.of("pk"))).isEqualTo(Items.keyString("t", b, List.of("pk")))
                .isNotEqualTo(Items.keyString("u", b, List.of("pk")));
    }

    @Test
    void size_countsNamesAndValues() throws Exception {
        assertThat(Items.size(item("{\"ab\":{\"S\":\"xyz\"}}"))).isEqualTo(5);
        assertThat(Items.size(item("{\"b\":{\"BOOL\":true}}"))).isEqualTo(2);
        assertThat(Items.size(null)).isZero();
    }
}
