package dev.ben.infra.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The execution roles of a plain CloudFormation template — a CDK synth, or what the SAM translator makes of
 * template.yaml: for each function's {@code AWS::IAM::Role}, its inline {@code Policies}, every
 * {@code AWS::IAM::Policy} attached to it ({@code Roles}; CDK's {@code DefaultPolicy} with the grants) and its
 * {@code ManagedPolicyArns}.
 */
public final class CfnRoles {

    private CfnRoles() {
    }

    /**
     * @param template   the template as JSON maps ({@code Template.toJSON()}, the translator's output)
     * @param name       how messages name the template (e.g. {@code CDK synth})
     * @param roles      function logical name (settings) → logical id of its {@code AWS::IAM::Role}
     * @param intrinsics resolver for this template
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Role> of(Map<String, Object> template, String name, Map<String, String> roles,
                                       Intrinsics intrinsics) {
        Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
        Map<String, Role> result = new LinkedHashMap<>();
        roles.forEach((function, roleId) -> {
            Map<String, Object> role = (Map<String, Object>) resources.get(roleId);
            if (role == null || !"AWS::IAM::Role".equals(role.get("Type"))) {
                throw new IllegalArgumentException(name + ": no AWS::IAM::Role " + roleId + " for " + function);
            }
            Map<String, Object> properties = (Map<String, Object>) role.getOrDefault("Properties", Map.of());
            List<Statement> statements = new ArrayList<>();
            for (Object arn : (List<?>) intrinsics.resolve(properties.getOrDefault("ManagedPolicyArns", List.of()))) {
                statements.addAll(ManagedPolicies.statements(String.valueOf(arn)));
            }
            for (Object inline : (List<?>) properties.getOrDefault("Policies", List.of())) {
                Map<String, Object> policy = (Map<String, Object>) inline;
                statements.addAll(Statement.ofDocument(intrinsics.resolve(policy.get("PolicyDocument")),
                        roleId + " inline policy " + policy.get("PolicyName"), true));
            }
            resources.forEach((id, r) -> {
                Map<String, Object> resource = (Map<String, Object>) r;
                Map<String, Object> props = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
                List<?> attachedTo = (List<?>) props.getOrDefault("Roles", List.of());
                if ("AWS::IAM::Policy".equals(resource.get("Type")) && attachedTo.contains(Map.of("Ref", roleId))) {
                    statements.addAll(Statement.ofDocument(intrinsics.resolve(props.get("PolicyDocument")),
                            name + " policy " + id, true));
                }
            });
            result.put(function, new Role(name, function, statements));
        });
        return result;
    }
}
