package dev.ben.infra.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions in a template fragment to plain values, symbolically: resources are
 * given identities ({@code Ref} and attribute values, built with {@link ArnSpace}), pseudo parameters are
 * {@link ArnSpace}'s account and region, template parameters take the given values (else their defaults).
 * Supported: {@code Ref}, {@code Fn::GetAtt} (list or dotted form), {@code Fn::Join}, {@code Fn::Sub} (string or
 * [string, variables]), {@code Fn::If} / {@code Fn::Equals} / {@code Fn::Not} / {@code Fn::And} / {@code Fn::Or} /
 * {@code Condition}, {@code Fn::Select}, {@code Fn::Split}; {@code AWS::NoValue} removes the key or list entry.
 * Anything else fails, naming what it could not resolve.
 */
public final class Intrinsics {

    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]+)}");

    private final Map<String, Map<String, String>> resources;
    private final Map<String, String> parameters;
    private final Map<String, Object> conditions;

    /**
     * @param resources  logical id → attribute → value; attribute {@code Ref} is the resource's {@code Ref}
     * @param parameters parameter name → value (already defaulted)
     * @param conditions the template's {@code Conditions} section (evaluated on use)
     */
    public Intrinsics(Map<String, Map<String, String>> resources, Map<String, String> parameters,
                      Map<String, Object> conditions) {
        this.resources = Map.copyOf(resources);
        this.parameters = Map.copyOf(parameters);
        this.conditions = Map.copyOf(conditions);
    }

    /** Parameter values of a template: {@code given} wins, else the parameter's {@code Default}. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> parameters(Map<String, Object> template, Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Object> declared = (Map<String, Object>) template.getOrDefault("Parameters", Map.of());
        declared.forEach((name, spec) -> {
            Object fallback = ((Map<String, Object>) spec).get("Default");
            if (given.containsKey(name)) {
                values.put(name, given.get(name));
            } else if (fallback != null) {
                values.put(name, String.valueOf(fallback));
            }
        });
        given.forEach((name, value) -> {
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("no parameter " + name + " in the template; declared: "
                        + declared.keySet());
            }
        });
        return values;
    }

    /** The fragment with every intrinsic resolved. */
    public Object resolve(Object node) {
        Object value = value(node);
        return value == NO_VALUE ? null : value;
    }

    /** Value of a named condition of the template. */
    public boolean condition(String name) {
        Object definition = conditions.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name + "; declared: " + conditions.keySet());
        }
        return bool(value(definition), "Condition " + name);
    }

    private Object value(Object node) {
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                Object v = value(item);
                if (v != NO_VALUE) {
                    out.add(v);
                }
            }
            return out;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        if (map.size() == 1) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            String key = String.valueOf(only.getKey());
            if (key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition")) {
                return intrinsic(key, only.getValue());
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

    private Object intrinsic(String function, Object argument) {
        return switch (function) {
            case "Ref" -> ref(String.valueOf(argument));
            case "Fn::GetAtt" -> getAtt(argument);
            case "Fn::Join" -> join(list(argument, function));
            case "Fn::Sub" -> sub(argument);
            case "Fn::If" -> {
                List<?> args = list(argument, function);
                yield value(condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2));
            }
            case "Fn::Equals" -> {
                List<?> args = list(argument, function);
                yield String.valueOf(value(args.get(0))).equals(String.valueOf(value(args.get(1))));
            }
            case "Fn::Not" -> !bool(value(list(argument, function).get(0)), function);
            case "Fn::And" -> list(argument, function).stream().allMatch(a -> bool(value(a), function));
            case "Fn::Or" -> list(argument, function).stream().anyMatch(a -> bool(value(a), function));
            case "Condition" -> condition(String.valueOf(argument));
            case "Fn::Select" -> {
                List<?> args = list(argument, function);
                List<?> from = (List<?>) value(args.get(1));
                yield from.get(Integer.parseInt(String.valueOf(value(args.get(0)))));
            }
            case "Fn::Split" -> {
                List<?> args = list(argument, function);
                yield List.of(string(value(args.get(1)), function).split(Pattern.quote(String.valueOf(args.get(0))), -1));
            }
            default -> throw new IllegalArgumentException("intrinsic " + function + " is not supported by the IAM "
                    + "check's resolver (argument " + argument + ")");
        };
    }

    private Object ref(String name) {
        return switch (name) {
            case "AWS::NoValue" -> NO_VALUE;
            case "AWS::Partition" -> ArnSpace.PARTITION;
            case "AWS::Region" -> ArnSpace.REGION;
            case "AWS::AccountId" -> ArnSpace.ACCOUNT;
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> "Ben";
            default -> {
                if (parameters.containsKey(name)) {
                    yield parameters.get(name);
                }
                yield attribute(name, "Ref");
            }
        };
    }

    private String getAtt(Object argument) {
        if (argument instanceof String dotted) {
            int dot = dotted.indexOf('.');
            return attribute(dotted.substring(0, dot), dotted.substring(dot + 1));
        }
        List<?> args = list(argument, "Fn::GetAtt");
        return attribute(String.valueOf(args.get(0)), String.valueOf(value(args.get(1))));
    }

    private String attribute(String logicalId, String attribute) {
        Map<String, String> identity = resources.get(logicalId);
        if (identity == null) {
            throw new IllegalArgumentException((attribute.equals("Ref") ? "Ref " : "Fn::GetAtt ") + logicalId
                    + (attribute.equals("Ref") ? "" : "." + attribute)
                    + ": not a parameter, pseudo parameter or resource the IAM check knows; known resources: "
                    + resources.keySet());
        }
        String value = identity.get(attribute);
        if (value == null) {
            throw new IllegalArgumentException(logicalId + " has no " + attribute + " the IAM check knows (known: "
                    + identity.keySet() + ")");
        }
        return value;
    }

    private String join(List<?> args) {
        String delimiter = String.valueOf(args.get(0));
        List<String> parts = new ArrayList<>();
        for (Object part : (List<?>) value(args.get(1))) {
            parts.add(string(part, "Fn::Join"));
        }
        return String.join(delimiter, parts);
    }

    private String sub(Object argument) {
        String text;
        Map<String, Object> variables = new LinkedHashMap<>();
        if (argument instanceof String s) {
            text = s;
        } else {
            List<?> args = list(argument, "Fn::Sub");
            text = String.valueOf(args.get(0));
            ((Map<?, ?>) args.get(1)).forEach((k, v) -> variables.put(String.valueOf(k), value(v)));
        }
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = "${" + name + "}"; // ${!Literal}
            } else if (variables.containsKey(name)) {
                replacement = string(variables.get(name), "Fn::Sub ${" + name + "}");
            } else if (name.contains(".")) {
                replacement = getAtt(name);
            } else {
                replacement = string(ref(name), "Fn::Sub ${" + name + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<?> list(Object argument, String function) {
        if (!(argument instanceof List<?> list)) {
            throw new IllegalArgumentException(function + " takes a list, got " + argument);
        }
        return list;
    }

    private static String string(Object value, String where) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(where + ": expected a string, got " + value);
    }

    private static boolean bool(Object value, String where) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(where + ": expected a condition value, got " + value);
    }
}
