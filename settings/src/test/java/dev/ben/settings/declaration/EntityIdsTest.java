package dev.ben.settings.declaration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EntityIdsTest {

    @Test
    void partitionKeyOnly_isTheValueItself() {
        assertThat(EntityIds.encode("ord_1001", null)).isEqualTo("ord_1001");
        assertThat(EntityIds.decode("a|b%", false)).containsExactly("a|b%");
    }

    @Test
    void compositeKey_isBothValuesAroundOnePipe() {
        assertThat(EntityIds.encode("tenant-a", "inv-7")).isEqualTo("tenant-a|inv-7");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"a;b", "a|b;c", "a;b|c", "%7C;%", "%;%25", "|;|", "x%|y;%7c|", "42;3.5"})
    void compositeKey_roundTrips_whateverTheValuesHold(String partition, String sort) {
        String id = EntityIds.encode(partition, sort);

        assertThat(id.chars().filter(c -> c == '|').count()).isEqualTo(1);
        assertThat(EntityIds.decode(id, true)).isEqualTo(List.of(partition, sort));
    }

    @Test
    void decode_refusesIdsOfAnotherKeySchema() {
        assertThatThrownBy(() -> EntityIds.decode("no-separator", true)).hasMessageContaining("one unescaped '|'");
        assertThatThrownBy(() -> EntityIds.decode("a|b|c", true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntityIds.encode("", null)).hasMessageContaining("partition key value");
    }
}
