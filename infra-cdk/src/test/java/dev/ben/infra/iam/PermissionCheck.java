package dev.ben.infra.iam;

import dev.ben.settings.BenSettings;
import dev.ben.settings.TableSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The two questions asked of each role, answered with one readable line per problem (empty = fine):
 * <ol>
 *   <li>{@link #missing}: is every requirement allowed? (explicit Deny wins; an Allow with a Condition does not
 *       count, since the check cannot prove it holds)</li>
 *   <li>{@link #overGrants}: do the statements the stack itself writes grant more than the requirements need?
 *       Judged by access class per resource: a role may read a table it was seen reading (any read action, as the
 *       SAM templates and CDK grants come in read / write / read-write sets), write one it was seen writing, send
 *       to or consume a queue it was seen sending to or consuming, read a stream it consumes — and nothing on
 *       resources it never touches. No wildcard actions at all. AWS managed policies that CDK or SAM attach on
 *       their own are not judged (they are listed in the docs instead).</li>
 * </ol>
 */
public final class PermissionCheck {

    /** Access classes: a grant of any action of a class is fine when the function needs some action of it. */
    enum AccessClass {
        TABLE_READ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
                "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
                // CDK's table read grants also name these two on the table ARN
                "dynamodb:GetRecords", "dynamodb:GetShardIterator"),
        TABLE_WRITE("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
                "dynamodb:DescribeTable"),
        STREAM_READ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                "dynamodb:ListStreams"),
        QUEUE_SEND("sqs:SendMessage", "sqs:SendMessageBatch", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
        QUEUE_CONSUME("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:DeleteMessageBatch",
                "sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch", "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl");

        final Set<String> actions;

        AccessClass(String... actions) {
            this.actions = Set.of(actions);
        }
    }

    /** Metadata reads that come with every class of their resource: they select no class by themselves. */
    static final Set<String> SHARED = Set.of("dynamodb:DescribeTable", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");

    /** One resource ARN the least-privilege check probes, and the table, stream or queue it belongs to. */
    record Probe(String base, String arn, Set<String> actions) {
    }

    private PermissionCheck() {
    }

    /** Requirements a role does not allow. */
    public static List<String> missing(Map<String, Role> roles, Collection<Requirement> requirements) {
        List<String> problems = new ArrayList<>();
        for (Requirement r : requirements) {
            Role role = roles.get(r.function());
            if (role == null) {
                problems.add("no role for function " + r.function() + " (needed: " + r.action() + " on " + r.arn() + ")");
                continue;
            }
            Role.Decision decision = role.decide(r.action(), r.arn());
            if (!decision.allowed()) {
                List<Statement> context = role.statementsOn(r.arn());
                problems.add(role.template() + ": " + r.function() + " is refused " + r.action() + " on " + r.arn()
                        + " (" + describe(decision) + "); needed because " + r.because() + ". Statements of its role"
                        + " on that resource: " + (context.isEmpty() ? "none" : context));
            }
        }
        return problems;
    }

    /** Grants beyond what the requirements need (see the class comment), and wildcard actions. */
    public static List<String> overGrants(Map<String, Role> roles, Collection<Requirement> requirements,
                                          BenSettings settings) {
        List<String> problems = new ArrayList<>();
        List<Probe> probes = probes(settings);
        for (Role role : roles.values()) {
            List<Statement> authored = role.statements().stream().filter(Statement::authored).toList();
            authored.stream().filter(Statement::hasWildcardAction).forEach(s -> problems.add(role.template() + ": "
                    + role.function() + " has a wildcard action: " + s));
            Role authoredOnly = new Role(role.template(), role.function(), authored);
            Map<String, Set<String>> needed = requirements.stream().filter(r -> r.function().equals(role.function()))
                    .collect(Collectors.groupingBy(Requirement::base, Collectors.mapping(Requirement::action,
                            Collectors.toCollection(TreeSet::new))));
            for (Probe probe : probes) {
                Set<String> neededHere = needed.getOrDefault(probe.base(), Set.of());
                Set<String> permitted = permittedActions(neededHere);
                Set<String> excess = new TreeSet<>();
                for (String action : probe.actions()) {
                    if (!permitted.contains(action) && authoredOnly.decide(action, probe.arn()).allowed()) {
                        excess.add(action);
                    }
                }
                if (!excess.isEmpty()) {
                    problems.add(role.template() + ": " + role.function() + " may " + excess + " on " + probe.arn()
                            + " but " + (neededHere.isEmpty() ? "never touches it"
                            : "needs only " + neededHere + " there") + " (granted by "
                            + grantedBy(authoredOnly, excess, probe.arn()) + ")");
                }
            }
        }
        return problems;
    }

    /**
     * What a role may do, by access class: "resource ARN → CLASS" for each table, index, stream and queue of the
     * settings on which the role's own statements (not AWS managed policies) allow some action of that class alone, plus
     * "route ARN → INVOKE" for each of {@code routes}. Two templates that deploy the same function must agree.
     */
    public static Set<String> accessSummary(Role role, BenSettings settings, Collection<String> routes) {
        Role authored = new Role(role.template(), role.function(),
                role.statements().stream().filter(Statement::authored).toList());
        Set<String> summary = new TreeSet<>();
        for (Probe probe : probes(settings)) {
            for (AccessClass c : AccessClass.values()) {
                boolean any = c.actions.stream().filter(a -> distinctive(a) && probe.actions().contains(a))
                        .anyMatch(a -> authored.decide(a, probe.arn()).allowed());
                if (any) {
                    summary.add(probe.arn() + " → " + c);
                }
            }
        }
        routes.stream().filter(r -> authored.decide("execute-api:Invoke", r).allowed())
                .forEach(r -> summary.add(r + " → INVOKE"));
        return summary;
    }

    /** An action of one access class only (GetRecords, say, is in both table and stream reads: it tells neither). */
    private static boolean distinctive(String action) {
        return Arrays.stream(AccessClass.values()).filter(c -> c.actions.contains(action)).count() == 1;
    }

    /** The needed actions, plus every action of each access class a needed (non-shared) action belongs to. */
    static Set<String> permittedActions(Set<String> needed) {
        Set<String> permitted = new TreeSet<>(needed);
        for (AccessClass c : AccessClass.values()) {
            if (needed.stream().filter(a -> !SHARED.contains(a)).anyMatch(c.actions::contains)) {
                permitted.addAll(c.actions);
            }
        }
        return permitted;
    }

    /** Table, index, stream and queue ARNs of the settings, each with the data-plane actions that apply to it. */
    static List<Probe> probes(BenSettings settings) {
        Set<String> tableActions = new LinkedHashSet<>(AccessClass.TABLE_READ.actions);
        tableActions.addAll(AccessClass.TABLE_WRITE.actions);
        Set<String> streamActions = new LinkedHashSet<>(AccessClass.STREAM_READ.actions);
        streamActions.remove("dynamodb:ListStreams"); // account-level: granted on "*" by CDK and AWS alike
        Set<String> queueActions = new LinkedHashSet<>(AccessClass.QUEUE_SEND.actions);
        queueActions.addAll(AccessClass.QUEUE_CONSUME.actions);
        List<Probe> probes = new ArrayList<>();
        for (TableSpec table : settings.tables()) {
            String base = ArnSpace.table(table.logicalName());
            probes.add(new Probe(base, base, tableActions));
            for (TableSpec.IndexSpec index : table.indexes()) {
                probes.add(new Probe(base, ArnSpace.index(table.logicalName(), index.name()), tableActions));
            }
            if (table.streamViewType().isPresent()) {
                String stream = ArnSpace.stream(table.logicalName());
                probes.add(new Probe(stream, stream, streamActions));
            }
        }
        settings.queues().forEach(q -> probes.add(new Probe(ArnSpace.queue(q.logicalName()),
                ArnSpace.queue(q.logicalName()), queueActions)));
        return probes;
    }

    private static String grantedBy(Role role, Set<String> actions, String arn) {
        return actions.stream().map(a -> role.decide(a, arn)).filter(Role.Decision::allowed)
                .map(d -> ((Role.Decision.Allowed) d).by().source()).distinct().collect(Collectors.joining(", "));
    }

    private static String describe(Role.Decision decision) {
        return switch (decision) {
            case Role.Decision.Allowed a -> "allowed";
            case Role.Decision.ExplicitDeny d -> "explicit deny by " + d.by();
            case Role.Decision.ImplicitDeny i -> "implicit deny: no statement allows it";
        };
    }
}
