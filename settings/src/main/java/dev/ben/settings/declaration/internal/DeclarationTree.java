package dev.ben.settings.declaration.internal;

import dev.ben.settings.declaration.ChangeKind;
import dev.ben.settings.declaration.Condition;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.KeyAttribute;
import dev.ben.settings.declaration.KeyType;
import dev.ben.settings.declaration.Payload;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.ScalarValue;
import dev.ben.settings.declaration.Source;
import dev.ben.settings.declaration.StreamViewType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The declaration as a JSON tree ({@link JsonText}'s maps and lists) and back. {@link #toTree} writes the canonical
 * form: defaults left out, members in schema order. {@link #fromTree} expects a tree {@link DeclarationValidator}
 * found no problem in.
 */
public final class DeclarationTree {

    private DeclarationTree() {
    }

    public static Map<String, Object> toTree(List<Source> sources) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (Source s : sources) {
            list.add(source(s));
        }
        root.put("sources", list);
        return root;
    }

    private static Map<String, Object> source(Source s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("table", s.table());
        m.put("partitionKey", key(s.partitionKey()));
        if (s.sortKey() != null) {
            m.put("sortKey", key(s.sortKey()));
        }
        if (s.streamViewType() != StreamViewType.NEW_AND_OLD_IMAGES) {
            m.put("streamViewType", s.streamViewType().name());
        }
        if (s.parallelization() != Source.DEFAULT_PARALLELIZATION) {
            m.put("parallelization", BigDecimal.valueOf(s.parallelization()));
        }
        List<Object> rules = new ArrayList<>();
        for (Rule r : s.rules()) {
            rules.add(rule(r));
        }
        m.put("rules", rules);
        return m;
    }

    private static Object key(KeyAttribute k) {
        if (k == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", k.name());
        m.put("type", k.type() == null ? null : k.type().name());
        return m;
    }

    private static Map<String, Object> rule(Rule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventType", r.eventType());
        if (!r.on().equals(Rule.DEFAULT_ON)) {
            m.put("on", r.on().stream().map(Enum::name).toList());
        }
        switch (r.when()) {
            case Condition.AnyChange any -> { }
            case Condition.Becomes b -> {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("attribute", b.attribute());
                w.put("becomes", b.value() == null ? null : b.value().json());
                m.put("when", w);
            }
            case Condition.Changes c -> {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("attribute", c.attribute());
                w.put("changes", true);
                m.put("when", w);
            }
        }
        if (!r.version().isEmpty()) {
            m.put("version", r.version());
        }
        if (!r.tenant().isEmpty()) {
            m.put("tenant", r.tenant());
        }
        m.put("payload", switch (r.payload()) {
            case null -> null;
            case Payload.WholeImage whole -> Payload.NEW_IMAGE;
            case Payload.Projection p -> {
                Map<String, Object> projection = new LinkedHashMap<>();
                projection.put("attributes", p.attributes());
                yield projection;
            }
        });
        if (!r.notifyUrl().isEmpty()) {
            m.put("notifyUrl", r.notifyUrl());
        }
        return m;
    }

    /** The model of a valid tree. */
    public static Declaration fromTree(Map<String, Object> root) {
        return new Declaration(sources(root));
    }

    /** The sources of a valid tree (not yet checked as a whole: {@link Declaration}'s constructor does that). */
    public static List<Source> sources(Map<String, Object> root) {
        List<Source> sources = new ArrayList<>();
        for (Object s : list(root.get("sources"))) {
            sources.add(source(map(s)));
        }
        return sources;
    }

    private static Source source(Map<String, Object> m) {
        List<Rule> rules = new ArrayList<>();
        for (Object r : list(m.get("rules"))) {
            rules.add(rule(map(r)));
        }
        Object view = m.get("streamViewType");
        Object parallelization = m.get("parallelization");
        return new Source((String) m.get("name"), (String) m.get("table"), key(m.get("partitionKey")),
                key(m.get("sortKey")), view == null ? null : StreamViewType.valueOf((String) view), rules,
                parallelization == null ? 0 : ((Number) parallelization).intValue());
    }

    private static KeyAttribute key(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> m = map(value);
        return new KeyAttribute((String) m.get("name"), KeyType.valueOf((String) m.get("type")));
    }

    private static Rule rule(Map<String, Object> m) {
        Set<ChangeKind> on = null;
        if (m.containsKey("on")) {
            on = EnumSet.noneOf(ChangeKind.class);
            for (Object kind : list(m.get("on"))) {
                on.add(ChangeKind.valueOf((String) kind));
            }
        }
        return new Rule((String) m.get("eventType"), on, condition(m.get("when")), (String) m.get("version"),
                (String) m.get("tenant"), payload(m.get("payload")), (String) m.get("notifyUrl"));
    }

    private static Condition condition(Object value) {
        if (value == null) {
            return new Condition.AnyChange();
        }
        Map<String, Object> w = map(value);
        String attribute = (String) w.get("attribute");
        if (w.containsKey("changes")) {
            return new Condition.Changes(attribute);
        }
        return new Condition.Becomes(attribute, scalar(w.get("becomes")));
    }

    static ScalarValue scalar(Object value) {
        return switch (value) {
            case String s -> new ScalarValue.Text(s);
            case Boolean b -> new ScalarValue.Bool(b);
            case BigDecimal d -> new ScalarValue.Number(d);
            default -> throw new IllegalArgumentException("not a scalar: " + value);
        };
    }

    private static Payload payload(Object value) {
        if (Payload.NEW_IMAGE.equals(value)) {
            return new Payload.WholeImage();
        }
        List<String> attributes = new ArrayList<>();
        for (Object a : list(map(value).get("attributes"))) {
            attributes.add((String) a);
        }
        return new Payload.Projection(attributes);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
