package dev.ben.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import dev.ben.settings.Trigger.ScheduleTrigger;
import dev.ben.settings.Trigger.StreamTrigger;
import dev.ben.settings.declaration.ChangeKind;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.KeyAttribute;
import dev.ben.settings.declaration.Payload;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.Source;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenSettingsTest {

    private final Declaration declaration = new Declaration(List.of(
            Source.of("invoices", "prod-invoices", KeyAttribute.string("tenantId"),
                    Rule.of("invoice.Settled", new Payload.WholeImage()),
                    Rule.of("invoice.deleted", new Payload.WholeImage()).withOn(ChangeKind.REMOVE))
                    .withSortKey(KeyAttribute.number("invoiceNo")),
            Source.of("accounts", "accounts", KeyAttribute.string("accountId"),
                    Rule.of("account.changed", new Payload.WholeImage()))));

    @Test
    void of_addsOneTableAndOneNotifyStreamPerSource() {
        BenSettings settings = BenSettings.of(declaration);

        assertThat(settings.sourceTables()).extracting(TableSpec::logicalName).containsExactly("invoices", "accounts");
        TableSpec invoices = settings.table("invoices");
        assertThat(invoices.envVar()).isEqualTo("BEN_SOURCE_TABLE_INVOICES");
        assertThat(invoices.sortKey()).isEqualTo("invoiceNo");
        assertThat(invoices.attributeType("invoiceNo")).isEqualTo("N");
        assertThat(invoices.attributeType("tenantId")).isEqualTo("S");
        assertThat(invoices.streamView()).isEqualTo("NEW_AND_OLD_IMAGES");
        List<StreamTrigger> streams = settings.function("notify").triggers().stream()
                .map(StreamTrigger.class::cast).toList();
        assertThat(streams).extracting(StreamTrigger::table).containsExactly("invoices", "accounts");
        assertThat(streams.getFirst().filterPatterns())
                .containsExactly("{\"eventName\":[\"INSERT\",\"MODIFY\",\"REMOVE\"]}");
        assertThat(streams.get(1).filterPatterns()).containsExactly("{\"eventName\":[\"INSERT\",\"MODIFY\"]}");
        assertThat(settings.function("notify").tables()).contains("invoices", "accounts", BenSettings.TENANTS_TABLE,
                BenSettings.EVENTS_TABLE);
    }

    @Test
    void of_aSourcesDeclaredParallelization_isItsNotifyTriggersParallelizationFactor() {
        Declaration declared = Declaration.parse("""
                {"sources": [{"name": "busy", "table": "busy", "partitionKey": {"name": "k", "type": "S"},
                  "parallelization": 4, "rules": [{"eventType": "x", "payload": "newImage"}]},
                 {"name": "quiet", "table": "quiet", "partitionKey": {"name": "k", "type": "S"},
                  "rules": [{"eventType": "y", "payload": "newImage"}]}]}""");

        List<StreamTrigger> streams = BenSettings.of(declared).function("notify").triggers().stream()
                .map(StreamTrigger.class::cast).toList();

        assertThat(streams).extracting(StreamTrigger::parallelizationFactor).containsExactly(4, 1);
        assertThat(Declaration.parse(declared.toJson())).isEqualTo(declared);
        assertThat(declared.toJson()).contains("\"parallelization\":4").containsOnlyOnce("parallelization");
    }

    @Test
    void of_statusApiNeverTouchesASourceTable() {
        BenSettings settings = BenSettings.of(declaration);

        FunctionSpec status = settings.function("status-api");
        assertThat(status.tables()).doesNotContainAnyElementsOf(settings.sources());
        assertThat(status.triggers()).extracting(t -> ((HttpTrigger) t).path()).containsExactly(
                "/entities/{entityId}/events", "/events/{eventId}", "/deliveries/{deliveryId}");
    }

    @Test
    void own_hasBensTablesOnly_andTheSameOwnTablesAsOf() {
        assertThat(BenSettings.own().sourceTables()).isEmpty();
        assertThat(BenSettings.own().function("notify").triggers()).isEmpty();
        assertThat(BenSettings.own().tables()).isEqualTo(BenSettings.of(declaration).ownTables());
        assertThat(BenSettings.own().table(BenSettings.TENANTS_TABLE).partitionKey()).isEqualTo("tenantId");
    }

    private static final TableSpec LEDGER = new TableSpec("ledger", "LEDGER_TABLE", "entryId", "", "", "",
            List.of(), List.of());
    private static final FunctionSpec BOOKKEEPER = new FunctionSpec("bookkeeper", "x.Bookkeeper", "x/bookkeeper", 512,
            Duration.ofSeconds(10), List.of(new HttpTrigger("ledger-api", "POST", "/hooks", HttpAuth.NONE)),
            List.of("ledger"), List.of());

    @Test
    void plus_addsAPartsTablesAndFunctions_keepingBensAndTheSources() {
        BenSettings settings = BenSettings.of(declaration).plus(List.of(LEDGER), List.of(), List.of(BOOKKEEPER));

        assertThat(settings.table("ledger")).isEqualTo(LEDGER);
        assertThat(settings.function("bookkeeper")).isEqualTo(BOOKKEEPER);
        assertThat(settings.function("notify")).isEqualTo(BenSettings.of(declaration).function("notify"));
        assertThat(settings.sources()).containsExactly("invoices", "accounts");
        assertThat(settings.ownTables()).contains(LEDGER);
        assertThat(BenSettings.of(declaration).functions()).extracting(FunctionSpec::logicalName)
                .doesNotContain("bookkeeper");
    }

    @Test
    void plus_nameTakenOrTableMissing_isRefusedWithTheFix() {
        TableSpec clash = new TableSpec(BenSettings.EVENTS_TABLE, "X", "id", "", "", "", List.of(), List.of());

        assertThatThrownBy(() -> BenSettings.own().plus(List.of(clash), List.of(), List.of()))
                .hasMessageContaining("two tables are named 'ben-events'");
        assertThatThrownBy(() -> BenSettings.own().plus(List.of(), List.of(), List.of(BOOKKEEPER)))
                .hasMessageContaining("function bookkeeper uses table 'ledger'")
                .hasMessageContaining("add its TableSpec");
    }

    @Test
    void sweeper_runsEveryMinute_andOnlyReadsTheEndpoints() {
        FunctionSpec sweeper = BenSettings.own().function("sweeper");

        assertThat(sweeper.triggers()).singleElement()
                .isEqualTo(new ScheduleTrigger("ben-sweeper", "rate(1 minute)"));
        assertThat(sweeper.access(BenSettings.ENDPOINTS_TABLE)).isEqualTo(Access.READ);
        assertThat(sweeper.access(BenSettings.DELIVERIES_TABLE)).isEqualTo(Access.READ_WRITE);
    }

    @Test
    void rate_isAnEventBridgeRateOfWholeMinutes() {
        assertThat(BenSettings.rate(Duration.ofMinutes(1))).isEqualTo("rate(1 minute)");
        assertThat(BenSettings.rate(Duration.ofMinutes(15))).isEqualTo("rate(15 minutes)");
        assertThatThrownBy(() -> BenSettings.rate(Duration.ofSeconds(90))).hasMessageContaining("whole minutes");
    }
}
