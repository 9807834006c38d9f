package dev.ben.infra;

import dev.ben.infra.iam.Intrinsics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SAM template as CloudFormation would see it for one set of parameter values, with everything that depends only
 * on parameters already evaluated: parameter {@code Ref}s replaced by their values, conditions decided (resources
 * whose {@code Condition} is false removed, {@code Fn::If} reduced to its branch, {@code AWS::NoValue} dropped), and
 * {@code Fn::Sub} / {@code Fn::Join} / {@code Fn::Split} computed where their arguments became plain strings.
 * References to resources ({@code Ref}, {@code Fn::GetAtt}) and pseudo parameters stay as they are, so the drift test
 * can compare them with the CDK synth.
 */
final class SamInstance {

    private static final Object NO_VALUE = new Object();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, String> parameters;
    private final Map<String, Object> conditions;
    private final Map<String, Boolean> decided = new LinkedHashMap<>();

    private SamInstance(Map<String, String> parameters, Map<String, Object> conditions) {
        this.parameters = parameters;
        this.conditions = conditions;
    }

    /** The template for these parameter values (the others take their defaults). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Map<String, Object> template, Map<String, String> given) {
        SamInstance instance = new SamInstance(Intrinsics.parameters(template, given),
                (Map<String, Object>) template.getOrDefault("Conditions", Map.of()));
        Map<String, Object> out = new LinkedHashMap<>();
        template.forEach((section, body) -> {
            if (section.equals("Resources")) {
                Map<String, Object> resources = new LinkedHashMap<>();
                ((Map<String, Object>) body).forEach((id, resource) -> {
                    Object condition = ((Map<String, Object>) resource).get("Condition");
                    if (condition == null || instance.condition(String.valueOf(condition))) {
                        resources.put(id, instance.value(resource));
                    }
                });
                out.put(section, resources);
            } else if (section.equals("Globals") || section.equals("Outputs")) {
                out.put(section, instance.value(body));
            } else {
                out.put(section, body);
            }
        });
        return out;
    }

    private boolean condition(String name) {
        Boolean known = decided.get(name);
        if (known != null) {
            return known;
        }
        Object definition = conditions.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name + "; declared: " + conditions.keySet());
        }
        boolean value = (Boolean) value(definition);
        decided.put(name, value);
        return value;
    }

    private Object value(Object node) {
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> {
                Object v = value(item);
                if (v != NO_VALUE) {
                    out.add(v);
                }
            });
            return out;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        if (map.size() == 1) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            Object evaluated = intrinsic(String.valueOf(only.getKey()), only.getValue());
            if (evaluated != null) {
                return evaluated;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            Object resolved = value(v);
            if (resolved != NO_VALUE) {
                out.put(String.valueOf(k), resolved);
            }
        });
        return out;
    }

    /** The value of an intrinsic that depends on parameters only, or null to keep it (with evaluated arguments). */
    private Object intrinsic(String function, Object argument) {
        switch (function) {
            case "Ref" -> {
                String name = String.valueOf(argument);
                if (name.equals("AWS::NoValue")) {
                    return NO_VALUE;
                }
                return parameters.containsKey(name) ? parameters.get(name) : null;
            }
            case "Condition" -> {
                return condition(String.valueOf(argument));
            }
            case "Fn::If" -> {
                List<?> args = (List<?>) argument;
                return value(condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2));
            }
            case "Fn::Equals" -> {
                List<?> args = (List<?>) argument;
                return String.valueOf(value(args.get(0))).equals(String.valueOf(value(args.get(1))));
            }
            case "Fn::Not" -> {
                return !(Boolean) value(((List<?>) argument).get(0));
            }
            case "Fn::And" -> {
                return ((List<?>) argument).stream().allMatch(a -> (Boolean) value(a));
            }
            case "Fn::Or" -> {
                return ((List<?>) argument).stream().anyMatch(a -> (Boolean) value(a));
            }
            case "Fn::Split" -> {
                List<?> args = (List<?>) argument;
                Object source = value(args.get(1));
                return source instanceof String s ? List.of(s.split(Pattern.quote(String.valueOf(args.get(0))), -1))
                        : null;
            }
            case "Fn::Join" -> {
                List<?> args = (List<?>) argument;
                Object parts = value(args.get(1));
                if (parts instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                    return String.join(String.valueOf(args.get(0)), list.stream().map(String::valueOf).toList());
                }
                return null;
            }
            case "Fn::Sub" -> {
                return sub(argument);
            }
            default -> {
                return null;
            }
        }
    }

    /** Fn::Sub when every variable is a parameter or a given (now plain) variable; else null (kept). */
    private Object sub(Object argument) {
        String text;
        Map<String, Object> variables = new LinkedHashMap<>();
        if (argument instanceof String s) {
            text = s;
        } else {
            List<?> args = (List<?>) argument;
            text = String.valueOf(args.get(0));
            ((Map<?, ?>) args.get(1)).forEach((k, v) -> variables.put(String.valueOf(k), value(v)));
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object replacement = variables.containsKey(name) ? variables.get(name) : parameters.get(name);
            if (!(replacement instanceof String r)) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        return out.toString();
    }
}
