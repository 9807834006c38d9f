package dev.ben.sender.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.settings.TableSpec;
import dev.ben.settings.TableSpec.IndexSpec;
import dev.ben.settings.TableSpec.Projection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The pricing rules the cost benchmark relies on, each on a small example worked out by hand. */
class CapacityModelTest {

    private static TableSpec table(Projection projection) {
        return new TableSpec("t", "T", "id", "", "", "", List.of(
                new IndexSpec("byDue", "due", "at", projection),
                new IndexSpec("byOwner", "owner", "", projection)), List.of());
    }

    private static Map<String, AttributeValue> item(int payloadBytes, String due) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS("d1"));
        item.put("owner", AttributeValue.fromS("o1"));
        item.put("status", AttributeValue.fromS("PENDING"));
        item.put("payload", AttributeValue.fromS("x".repeat(payloadBytes)));
        if (due != null) {
            item.put("due", AttributeValue.fromS(due));
            item.put("at", AttributeValue.fromS("2026-12-01T00:00:00.000Z"));
        }
        return item;
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> item, String name, String value) {
        Map<String, AttributeValue> next = new HashMap<>(item);
        next.put(name, AttributeValue.fromS(value));
        return next;
    }

    @Test
    void itemSize_countsNamesAndValues_numbersByTheirSignificantDigits() {
        assertThat(ItemSize.of(Map.of("id", AttributeValue.fromS("abc")))).isEqualTo(5);
        assertThat(ItemSize.of(Map.of("n", AttributeValue.fromN("4999")))).isEqualTo(1 + 3);
        assertThat(ItemSize.of(Map.of("n", AttributeValue.fromN("1000")))).isEqualTo(1 + 2);
        assertThat(ItemSize.of(Map.of("b", AttributeValue.fromBool(true)))).isEqualTo(2);
    }

    @Test
    void put_ofAnItemInBothIndexes_costsItsKilobytesPlusOnePerKeysOnlyIndex() {
        var units = CapacityModel.write(table(Projection.KEYS_ONLY), null, item(1_500, "PENDING#01"));

        assertThat(units).containsExactly(Map.entry("t", 2.0), Map.entry("t/byDue", 1.0),
                Map.entry("t/byOwner", 1.0));
    }

    @Test
    void put_withAllProjections_copiesTheWholeItemIntoEachIndex() {
        var units = CapacityModel.write(table(Projection.ALL), null, item(1_500, "PENDING#01"));

        assertThat(units).containsExactly(Map.entry("t", 2.0), Map.entry("t/byDue", 2.0),
                Map.entry("t/byOwner", 2.0));
    }

    @Test
    void update_ofANonKeyAttribute_writesNoKeysOnlyIndex_butEveryAllIndex() {
        var before = item(200, "PENDING#01");
        var after = with(before, "status", "RETRYING");

        assertThat(CapacityModel.write(table(Projection.KEYS_ONLY), before, after)).containsExactly(
                Map.entry("t", 1.0));
        assertThat(CapacityModel.write(table(Projection.ALL), before, after)).containsExactly(Map.entry("t", 1.0),
                Map.entry("t/byDue", 1.0), Map.entry("t/byOwner", 1.0));
    }

    @Test
    void update_leavingASparseIndex_costsADelete_changingItsKey_aDeleteAndAPut() {
        var pending = item(200, "PENDING#01");
        var delivered = item(200, null);
        var retrying = with(pending, "due", "RETRYING#01");

        assertThat(CapacityModel.write(table(Projection.KEYS_ONLY), pending, delivered)).containsExactly(
                Map.entry("t", 1.0), Map.entry("t/byDue", 1.0));
        assertThat(CapacityModel.write(table(Projection.KEYS_ONLY), pending, retrying)).containsExactly(
                Map.entry("t", 1.0), Map.entry("t/byDue", 2.0));
    }

    @Test
    void write_ofAnItemInNoIndexBeforeOrAfter_costsTheTableOnly_theLargerImageCounting() {
        var before = item(3_000, null);
        before.remove("owner");
        var after = new HashMap<>(before);
        after.put("payload", AttributeValue.fromS("small"));

        assertThat(CapacityModel.write(table(Projection.ALL), before, after)).containsExactly(Map.entry("t", 3.0));
    }

    @Test
    void refusedConditionalWrite_costsTheExistingItemsUnits_andReadsRoundUpPer4Kb() {
        assertThat(CapacityModel.refusedWrite(table(Projection.ALL), item(1_500, "PENDING#01")))
                .containsExactly(Map.entry("t", 2.0));
        assertThat(CapacityModel.read(100, true)).isEqualTo(1.0);
        assertThat(CapacityModel.read(4_097, true)).isEqualTo(2.0);
        assertThat(CapacityModel.read(4_097, false)).isEqualTo(1.0);
    }
}
