package dev.ben.infra.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The execution roles SAM generates for a template's {@code AWS::Serverless::Function}s, as SAM builds them
 * (samtranslator {@code model/sam_resources.py}, {@code model/eventsources/pull.py}): the managed policy
 * {@code AWSLambdaBasicExecutionRole}; every entry of the function's {@code Policies} (a managed policy by name or
 * ARN, an inline policy document, or a policy template expanded as SAM defines it, {@link SamPolicyTemplates}); and
 * per event source the managed policy SAM attaches ({@code DynamoDB}: {@code AWSLambdaDynamoDBExecutionRole},
 * {@code SQS}: {@code AWSLambdaSQSQueueExecutionRole}) plus, for {@code DestinationConfig.OnFailure} with
 * {@code Type: SQS}, SAM's {@code sqs:SendMessage} statement on the destination. Schedule and HTTP API events add
 * nothing to the role (they add resource policies on the function).
 */
public final class SamRoles {

    private SamRoles() {
    }

    /**
     * @param template   the parsed template
     * @param name       how messages name the template (e.g. {@code template.yaml})
     * @param functions  function logical name (settings) → the template's logical id of it
     * @param intrinsics resolver for this template (its identities, parameters and conditions)
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Role> of(Map<String, Object> template, String name, Map<String, String> functions,
                                       Intrinsics intrinsics) {
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        Map<String, Role> roles = new LinkedHashMap<>();
        functions.forEach((function, logicalId) -> {
            Map<String, Object> resource = (Map<String, Object>) resources.get(logicalId);
            if (resource == null || !"AWS::Serverless::Function".equals(resource.get("Type"))) {
                throw new IllegalArgumentException(name + ": no AWS::Serverless::Function " + logicalId + " for "
                        + function);
            }
            Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            if (properties.containsKey("Role")) {
                throw new IllegalArgumentException(name + ": " + logicalId + " sets Role; the IAM check models "
                        + "SAM-generated roles only");
            }
            List<Statement> statements = new ArrayList<>(ManagedPolicies.statements(ManagedPolicies.BASIC_EXECUTION));
            policies(properties, logicalId, intrinsics, statements);
            events(properties, logicalId, intrinsics, statements);
            roles.put(function, new Role(name, function, statements));
        });
        return roles;
    }

    private static void policies(Map<String, Object> properties, String logicalId, Intrinsics intrinsics,
                                 List<Statement> into) {
        Object policies = intrinsics.resolve(properties.get("Policies"));
        List<?> entries = policies == null ? List.of() : policies instanceof List<?> l ? l : List.of(policies);
        for (Object entry : entries) {
            String where = logicalId + " Policies";
            if (entry instanceof String managed) {
                into.addAll(ManagedPolicies.statements(managed));
            } else if (entry instanceof Map<?, ?> map && map.containsKey("Statement")) {
                into.addAll(Statement.ofDocument(map, where + " (inline statement)", true));
            } else if (entry instanceof Map<?, ?> map && map.size() == 1) {
                Map.Entry<?, ?> template = map.entrySet().iterator().next();
                Map<?, ?> values = template.getValue() instanceof Map<?, ?> v ? v : Map.of();
                Object document = SamPolicyTemplates.expand(String.valueOf(template.getKey()), values, where);
                into.addAll(Statement.ofDocument(intrinsics.resolve(document),
                        where + " (SAM policy template " + template.getKey() + ")", true));
            } else {
                throw new IllegalArgumentException(where + ": entry not understood: " + entry);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void events(Map<String, Object> properties, String logicalId, Intrinsics intrinsics,
                               List<Statement> into) {
        Map<String, Object> events = (Map<String, Object>) properties.getOrDefault("Events", Map.of());
        boolean dynamoDb = false;
        boolean sqs = false;
        for (Map.Entry<String, Object> e : events.entrySet()) {
            Map<String, Object> event = (Map<String, Object>) e.getValue();
            String type = String.valueOf(event.get("Type"));
            switch (type) {
                case "DynamoDB" -> {
                    dynamoDb = true;
                    onFailure((Map<String, Object>) intrinsics.resolve(event.getOrDefault("Properties", Map.of())),
                            logicalId + " event " + e.getKey(), into);
                }
                case "SQS" -> sqs = true;
                case "Schedule", "ScheduleV2", "HttpApi", "Api" -> { }
                default -> throw new IllegalArgumentException(logicalId + " event " + e.getKey() + ": type " + type
                        + " is not modelled by the IAM check");
            }
        }
        if (dynamoDb) {
            into.addAll(ManagedPolicies.statements(ManagedPolicies.DYNAMODB_EXECUTION));
        }
        if (sqs) {
            into.addAll(ManagedPolicies.statements(ManagedPolicies.SQS_QUEUE_EXECUTION));
        }
    }

    /** samtranslator {@code IAMRolePolicies.sqs_send_message_role_policy}: sqs:SendMessage on the destination. */
    private static void onFailure(Map<String, Object> props, String where, List<Statement> into) {
        Object onFailure = props.get("DestinationConfig") instanceof Map<?, ?> d ? d.get("OnFailure") : null;
        if (onFailure instanceof Map<?, ?> f && "SQS".equals(f.get("Type"))) {
            into.add(Statement.of(Map.of("Effect", "Allow", "Action", "sqs:SendMessage",
                    "Resource", f.get("Destination")), where + " (SAM on-failure destination policy)", true));
        }
    }
}
