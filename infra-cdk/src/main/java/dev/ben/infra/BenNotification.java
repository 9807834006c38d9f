package dev.ben.infra;

import dev.ben.infra.internal.PartOptions;
import dev.ben.infra.internal.Parts;
import dev.ben.infra.internal.SettingsParts;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Ben and what is deployed beside it, as one construct: {@link BenSender} on the declared source table(s), plus the
 * settings' other parts (functions added with {@code BenSettings.plus}, e.g. the orders example's receiver webhook
 * and scheduled reconcile under {@code examples/}, with their tables). Source tables given in
 * {@link BenNotificationProps#sourceTables()} are used as they are; the others are created here, as an example's
 * own. The sender is this construct's default child, so its resources keep the logical ids they had when this
 * construct built everything itself.
 */
public final class BenNotification extends Construct {

    /** Alias every trigger invokes. */
    public static final String ALIAS = Parts.ALIAS;
    /** JVM options for fast cold starts (C1 only; SnapStart restores the warmed heap). */
    public static final String JAVA_TOOL_OPTIONS = Parts.JAVA_TOOL_OPTIONS;

    private final BenNotificationProps props;
    private final BenSender sender;
    private final Parts receiver;
    private final Map<String, ITable> ownSources = new LinkedHashMap<>();

    public BenNotification(Construct scope, String id, BenNotificationProps props) {
        super(scope, id);
        this.props = props;
        BenSettings settings = props.settings();
        checkNames(settings);
        Map<String, ITable> sources = new LinkedHashMap<>(props.sourceTables());
        for (TableSpec source : settings.sourceTables()) {
            if (!sources.containsKey(source.logicalName())) {
                ITable created = Parts.createTable(this, source, props.tableRemovalPolicy());
                ownSources.put(source.logicalName(), created);
                sources.put(source.logicalName(), created);
            }
        }
        PartOptions options = props.options();
        BenSettings senderSettings = SettingsParts.sender(settings);
        BenSettings rest = SettingsParts.rest(settings);
        this.sender = new BenSender(this, "Default", senderSettings, props.declaration(), sources,
                options.forFunctions(names(senderSettings)));
        this.receiver = new Parts(this, rest, Map.of(), options.forFunctions(names(rest)), Optional.empty(),
                receiverEnvironment(rest));
        for (String caller : props.statusApiCallers()) {
            sender.grantStatusApi(function(caller));
        }
        if (!rest.functions().isEmpty()) {
            sender.dashboard().addWidgets(receiver.functionWidgets("Receiver side: ").toArray(
                    new software.amazon.awscdk.services.cloudwatch.IWidget[0]));
        }
    }

    private void checkNames(BenSettings settings) {
        props.memoryMb().keySet().forEach(settings::function);
        props.statusApiCallers().forEach(settings::function);
        for (String name : props.sourceTables().keySet()) {
            if (!settings.sources().contains(name)) {
                throw new IllegalArgumentException("source table '" + name + "' is not a source of the declaration;"
                        + " its sources: " + settings.sources());
            }
        }
    }

    /** The receiver's signing secrets on public webhooks; the status API's URL for its callers. */
    private Map<String, Map<String, String>> receiverEnvironment(BenSettings rest) {
        Map<String, Map<String, String>> env = new LinkedHashMap<>();
        for (FunctionSpec spec : rest.functions()) {
            Map<String, String> vars = new LinkedHashMap<>();
            boolean publicWebhook = spec.triggers().stream()
                    .anyMatch(t -> t instanceof HttpTrigger http && http.auth() == HttpAuth.NONE);
            if (publicWebhook) {
                props.receiverSecrets().ifPresent(secrets -> vars.put(EnvVars.RECEIVER_SECRETS, secrets));
            }
            if (props.statusApiCallers().contains(spec.logicalName())) {
                vars.put(EnvVars.STATUS_API_URL, sender.statusApiUrl());
            }
            if (!vars.isEmpty()) {
                env.put(spec.logicalName(), vars);
            }
        }
        return env;
    }

    private static List<String> names(BenSettings settings) {
        return settings.functions().stream().map(FunctionSpec::logicalName).toList();
    }

    public BenNotificationProps props() {
        return props;
    }

    /** The sender part (on the demo's source tables). */
    public BenSender sender() {
        return sender;
    }

    /** Table by logical name: a source, one of Ben's or one of the demo receiver's. */
    public ITable table(String logicalName) {
        if (receiver.tables().containsKey(logicalName)) {
            return receiver.table(logicalName);
        }
        return sender.table(logicalName);
    }

    /** The source tables this construct created itself (those not given in the props). */
    public Map<String, ITable> ownSourceTables() {
        return Collections.unmodifiableMap(ownSources);
    }

    public Queue queue(String logicalName) {
        return sender.queue(logicalName);
    }

    public Function function(String logicalName) {
        return receiver.functions().containsKey(logicalName) ? receiver.function(logicalName)
                : sender.function(logicalName);
    }

    /** The {@value #ALIAS} alias of a function; its triggers invoke this. */
    public Alias alias(String logicalName) {
        return receiver.functions().containsKey(logicalName) ? receiver.alias(logicalName)
                : sender.alias(logicalName);
    }

    public HttpApi api(String name) {
        HttpApi api = apis().get(name);
        if (api == null) {
            throw new IllegalArgumentException("No HTTP API named '" + name + "'; known: " + apis().keySet());
        }
        return api;
    }

    /** Every HTTP API: the status API and the demo receiver's. */
    public Map<String, HttpApi> apis() {
        Map<String, HttpApi> all = new LinkedHashMap<>(sender.apis());
        all.putAll(receiver.apis());
        return Collections.unmodifiableMap(all);
    }

    public List<Alarm> alarms() {
        List<Alarm> all = new java.util.ArrayList<>(sender.alarms());
        all.addAll(receiver.alarms());
        return List.copyOf(all);
    }

    public Dashboard dashboard() {
        return sender.dashboard();
    }

    /** Lambda handler string of a function ({@code Class::handleRequest}). */
    public static String handlerOf(FunctionSpec spec) {
        return Parts.handlerOf(spec);
    }
}
