package dev.ben.infra;

import dev.ben.infra.internal.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awscdk.assertions.Template;

/** Small helpers to read a synthesized template as plain maps. */
final class CfnResources {

    private CfnResources() {
    }

    /** toJSON() crosses into the jsii runtime and copies the whole template: do it once per template. */
    private static final Map<Template, Map<String, Object>> JSON =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    static Map<String, Object> json(Template template) {
        return JSON.computeIfAbsent(template, Template::toJSON);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> ofType(Template template, String type) {
        Map<String, Object> resources = (Map<String, Object>) json(template).get("Resources");
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            Map<String, Object> r = (Map<String, Object>) resource;
            if (type.equals(r.get("Type"))) {
                found.put(id, r);
            }
        });
        return found;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** Logical id of the resource the construct created with id {@code Names.pascal(name) + suffix}. */
    static String logicalId(Template template, String type, String logicalName, String suffix) {
        Pattern id = Pattern.compile("Ben" + Pattern.quote(Names.pascal(logicalName) + suffix) + "[0-9A-F]{8}");
        List<String> matches = ofType(template, type).keySet().stream().filter(k -> id.matcher(k).matches()).toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected one " + type + " for " + logicalName + suffix + ", found " + matches);
        }
        return matches.get(0);
    }

    /** As {@link #logicalId}, empty when the template has no such resource (e.g. a table the stack only imports). */
    static java.util.Optional<String> findLogicalId(Template template, String type, String logicalName, String suffix) {
        Pattern id = Pattern.compile("Ben" + Pattern.quote(Names.pascal(logicalName) + suffix) + "[0-9A-F]{8}");
        return ofType(template, type).keySet().stream().filter(k -> id.matcher(k).matches()).findFirst();
    }

    static Map<String, Object> resource(Template template, String type, String logicalName, String suffix) {
        return ofType(template, type).get(logicalId(template, type, logicalName, suffix));
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object current = node;
        for (Object key : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else if (current instanceof List<?> list && key instanceof Integer index) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return (T) current;
    }

    static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }
}
