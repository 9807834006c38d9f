package dev.ben.infra;

import dev.ben.settings.BenSettings;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.assertions.Template;

/**
 * The drift test on a user's own table: template.yaml with {@code SourceTableName=invoices}, its stream ARN, its
 * record kinds and the invoices declaration (composite key tenantId + invoiceId, tenants, a REMOVE rule) against
 * the CDK app given the same existing table ({@code BenNotificationProps.sourceTable}) and against the settings of
 * that declaration. Neither creates the invoices table; everything else stays equal.
 */
class SamTemplateOnGivenTableDriftTest extends SamTemplateDriftTest {

    @Override
    BenSettings settings() {
        return SynthesizedBen.invoicesSettings();
    }

    @Override
    Template cdk() {
        return SynthesizedBen.onGivenTable();
    }

    @Override
    Map<String, String> parameters() {
        return Map.of("SourceTableName", SynthesizedBen.INVOICES,
                "SourceStreamArn", SynthesizedBen.INVOICES_STREAM,
                "SourceEvents", "INSERT,MODIFY,REMOVE",
                "Declaration", SynthesizedBen.invoicesDeclaration().toJson());
    }

    @Override
    Set<String> givenSources() {
        return Set.of(SynthesizedBen.INVOICES);
    }
}
