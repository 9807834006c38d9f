package dev.ben.infra;

import dev.ben.infra.internal.PartOptions;
import dev.ben.infra.internal.Parts;
import dev.ben.infra.internal.SettingsParts;
import dev.ben.settings.BenSettings;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.Source;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Ben's sender on the user's existing tables: it reads each declared source's stream and creates only Ben's own
 * tables ({@code ben-endpoints}, {@code ben-deliveries}, {@code ben-attempts}, {@code ben-tenants},
 * {@code ben-events}), queues, the notify / retry / sweeper / status-api functions, the status API
 * ({@code sender-api}, IAM auth), alarms and a dashboard.
 *
 * <pre>{@code
 * ITable invoices = Table.fromTableAttributes(this, "Invoices", TableAttributes.builder()
 *         .tableName("invoices").tableStreamArn(invoicesStreamArn).build());
 * BenSender ben = new BenSender(this, "Ben", BenSenderProps.builder()
 *         .declaration(Declaration.read(Path.of("ben.json")))
 *         .source("invoices", invoices)
 *         .code(FunctionCode.shadedJars(benCheckout))
 *         .build());
 * ben.grantStatusApi(reconcileFunction);
 * }</pre>
 *
 * <p>IAM: notify gets only stream read on a source table (its event source mapping); every other grant follows
 * the settings' {@code Access} of each function (checked against the calls the functions make by
 * {@code IamFromCallsIT}). A function whose environment would exceed Lambda's 4 KB (a large declaration) fails
 * the synth, naming the largest variables.
 */
public final class BenSender extends Construct {

    private final Parts parts;
    private final Dashboard dashboard;

    public BenSender(Construct scope, String id, BenSenderProps props) {
        this(scope, id, SettingsParts.sender(BenSettings.of(props.declaration())), props.declaration(),
                props.sources(), props.options());
    }

    /** The sender part of any settings (the orders demo passes its own), on these existing source tables. */
    BenSender(Construct scope, String id, BenSettings senderSettings, Declaration declaration,
              Map<String, ITable> sources, PartOptions options) {
        super(scope, id);
        checkSources(declaration, sources);
        this.parts = new Parts(this, senderSettings, sources, options, Optional.of(declaration), Map.of());
        this.dashboard = parts.createDashboard("Dashboard");
    }

    private static void checkSources(Declaration declaration, Map<String, ITable> sources) {
        var declared = new TreeSet<>(declaration.sources().stream().map(Source::name).toList());
        for (String name : sources.keySet()) {
            if (!declared.contains(name)) {
                throw new IllegalArgumentException("source '" + name + "' is not in the declaration; declared: "
                        + declared + " (the name is the source's \"name\", not the table's)");
            }
        }
        for (String name : declared) {
            if (!sources.containsKey(name)) {
                throw new IllegalArgumentException("declared source '" + name + "' has no table: add"
                        + " .source(\"" + name + "\", Table.fromTableAttributes(scope, id, TableAttributes.builder()"
                        + ".tableName(...).tableStreamArn(...).build())) to the BenSender props");
            }
        }
    }

    /** The settings this sender was built from (its functions, Ben's tables and the sources, queues). */
    public BenSettings settings() {
        return parts.settings();
    }

    /** A source table (as given) or one of Ben's own, by logical name. */
    public ITable table(String logicalName) {
        return parts.table(logicalName);
    }

    public Queue queue(String logicalName) {
        return parts.queue(logicalName);
    }

    public Function function(String logicalName) {
        return parts.function(logicalName);
    }

    /** The {@value Parts#ALIAS} alias of a function; its triggers invoke this. */
    public Alias alias(String logicalName) {
        return parts.alias(logicalName);
    }

    /** The status API ({@code sender-api}, IAM-authorized routes). */
    public HttpApi statusApi() {
        return parts.api(BenSettings.SENDER_API);
    }

    /** Base URL of the status API (what reconcile's {@code BEN_STATUS_API_URL} is set to). */
    public String statusApiUrl() {
        return statusApi().getApiEndpoint();
    }

    /** The status API's routes. */
    public List<HttpRoute> statusRoutes() {
        return parts.routes(BenSettings.SENDER_API);
    }

    /** Lets {@code grantee} (e.g. a receiver's reconcile function) call every route of the status API. */
    public void grantStatusApi(IGrantable grantee) {
        statusRoutes().forEach(route -> route.grantInvoke(grantee));
    }

    public Map<String, HttpApi> apis() {
        return parts.apis();
    }

    public List<Alarm> alarms() {
        return parts.alarms();
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
