package dev.ben.sender.internal;

import static dev.ben.sender.internal.EventMapperTest.bool;
import static dev.ben.sender.internal.EventMapperTest.n;
import static dev.ben.sender.internal.EventMapperTest.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.ben.settings.declaration.ChangeKind;
import dev.ben.settings.declaration.Condition;
import dev.ben.settings.declaration.Payload;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.ScalarValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every condition kind × S / N / BOOL × INSERT / MODIFY / REMOVE, plus missing and odd attributes. In the tables,
 * {@code -} is "no image" (INSERT has no old image, REMOVE no new one) and {@code absent} is an image without the
 * attribute.
 */
class RuleMatcherTest {

    private static final Rule ANY_KIND = Rule.of("x", new Payload.WholeImage())
            .withOn(ChangeKind.INSERT, ChangeKind.MODIFY, ChangeKind.REMOVE);

    @ParameterizedTest(name = "{0}: {1} → {2} becomes {3}? {4}")
    @CsvSource(delimiter = '|', value = {
            // kind  | old            | new             | becomes    | matches
            "INSERT  | -              | S:PAID          | S:PAID     | true",
            "INSERT  | -              | S:paid          | S:PAID     | false",
            "INSERT  | -              | absent          | S:PAID     | false",
            "MODIFY  | S:PENDING      | S:PAID          | S:PAID     | true",
            "MODIFY  | S:PAID         | S:PAID          | S:PAID     | false",
            "MODIFY  | absent         | S:PAID          | S:PAID     | true",
            "MODIFY  | S:PAID         | absent          | S:PAID     | false",
            "MODIFY  | N:1            | N:3             | N:3        | true",
            "MODIFY  | N:1            | N:3.00          | N:3        | true",
            "MODIFY  | N:3.0          | N:3             | N:3        | false",
            "MODIFY  | N:1            | S:3             | N:3        | false",
            "MODIFY  | S:3            | N:3             | N:3        | true",
            "MODIFY  | N:1            | N:3             | S:3        | false",
            "INSERT  | -              | N:3             | N:3        | true",
            "MODIFY  | BOOL:false     | BOOL:true       | BOOL:true  | true",
            "MODIFY  | BOOL:true      | BOOL:true       | BOOL:true  | false",
            "MODIFY  | absent         | BOOL:false      | BOOL:false | true",
            "MODIFY  | BOOL:false     | S:true          | BOOL:true  | false",
            "INSERT  | -              | BOOL:true       | BOOL:true  | true",
            "REMOVE  | S:PAID         | -               | S:PAID     | false",
            "REMOVE  | BOOL:true      | -               | BOOL:true  | false",
            "REMOVE  | N:3            | -               | N:3        | false",
            "MODIFY  | NULL           | S:PAID          | S:PAID     | true",
            "MODIFY  | S:PAID         | NULL            | S:PAID     | false",
    })
    void becomes(String kind, String old, String neu, String expected, boolean matches) {
        Rule rule = ANY_KIND.withWhen(new Condition.Becomes("a", scalar(expected)));

        assertThat(RuleMatcher.matches(rule, ChangeKind.valueOf(kind), image(old), image(neu))).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0}: {1} → {2} changes? {3}")
    @CsvSource(delimiter = '|', value = {
            "INSERT  | -              | S:A             | true",
            "INSERT  | -              | absent          | false",
            "INSERT  | -              | N:0             | true",
            "INSERT  | -              | BOOL:false      | true",
            "MODIFY  | S:A            | S:B             | true",
            "MODIFY  | S:A            | S:A             | false",
            "MODIFY  | S:A            | S:a             | true",
            "MODIFY  | N:3            | N:3.0           | false",
            "MODIFY  | N:3            | N:4             | true",
            "MODIFY  | N:3            | S:3             | true",
            "MODIFY  | BOOL:true      | BOOL:false      | true",
            "MODIFY  | BOOL:true      | BOOL:true       | false",
            "MODIFY  | absent         | S:A             | true",
            "MODIFY  | S:A            | absent          | true",
            "MODIFY  | absent         | absent          | false",
            "MODIFY  | NULL           | NULL            | false",
            "MODIFY  | NULL           | S:A             | true",
            "REMOVE  | S:A            | -               | true",
            "REMOVE  | N:1            | -               | true",
            "REMOVE  | BOOL:false     | -               | true",
            "REMOVE  | absent         | -               | false",
    })
    void changes(String kind, String old, String neu, boolean matches) {
        Rule rule = ANY_KIND.withWhen(new Condition.Changes("a"));

        assertThat(RuleMatcher.matches(rule, ChangeKind.valueOf(kind), image(old), image(neu))).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"INSERT | - | S:A", "MODIFY | S:A | S:A", "REMOVE | S:A | -"})
    void anyChange_matchesEveryKindTheRuleListensTo(String kind, String old, String neu) {
        assertThat(RuleMatcher.matches(ANY_KIND, ChangeKind.valueOf(kind), image(old), image(neu))).isTrue();
    }

    @Test
    void on_filtersKindsBeforeTheCondition() {
        Rule insertOnly = Rule.of("x", new Payload.WholeImage()).withOn(ChangeKind.INSERT);

        assertThat(RuleMatcher.matches(insertOnly, ChangeKind.INSERT, null, image("S:A"))).isTrue();
        assertThat(RuleMatcher.matches(insertOnly, ChangeKind.MODIFY, image("S:A"), image("S:B"))).isFalse();
        assertThat(RuleMatcher.matches(Rule.of("x", new Payload.WholeImage()), ChangeKind.REMOVE, image("S:A"), null))
                .as("REMOVE is not in the default on").isFalse();
    }

    @Test
    void changes_comparesStructuredValuesByContent() {
        Map<String, AttributeValue> before = Map.of("a", new AttributeValue().withL(List.of(s("x"), n("1"))));
        Map<String, AttributeValue> same = Map.of("a", new AttributeValue().withL(List.of(s("x"), n("1"))));
        Map<String, AttributeValue> other = Map.of("a", new AttributeValue().withL(List.of(s("x"), n("2"))));
        Rule rule = ANY_KIND.withWhen(new Condition.Changes("a"));

        assertThat(RuleMatcher.matches(rule, ChangeKind.MODIFY, before, same)).isFalse();
        assertThat(RuleMatcher.matches(rule, ChangeKind.MODIFY, before, other)).isTrue();
    }

    @Test
    void becomes_onANonNumericN_neverMatches() {
        Rule rule = ANY_KIND.withWhen(new Condition.Becomes("a", new ScalarValue.Number(java.math.BigDecimal.ONE)));

        assertThat(RuleMatcher.matches(rule, ChangeKind.INSERT, null, Map.of("a", n("one")))).isFalse();
    }

    // "-" = no image; "absent" = an image without the attribute; TYPE:value = the attribute a
    private static Map<String, AttributeValue> image(String spec) {
        if (spec.equals("-")) {
            return null;
        }
        Map<String, AttributeValue> image = new HashMap<>();
        image.put("other", s("unrelated"));
        if (!spec.equals("absent")) {
            image.put("a", value(spec));
        }
        return image;
    }

    private static AttributeValue value(String spec) {
        if (spec.equals("NULL")) {
            return new AttributeValue().withNULL(true);
        }
        String type = spec.substring(0, spec.indexOf(':'));
        String v = spec.substring(spec.indexOf(':') + 1);
        return switch (type) {
            case "S" -> s(v);
            case "N" -> n(v);
            case "BOOL" -> bool(Boolean.parseBoolean(v));
            default -> throw new IllegalArgumentException(spec);
        };
    }

    private static ScalarValue scalar(String spec) {
        String type = spec.substring(0, spec.indexOf(':'));
        String v = spec.substring(spec.indexOf(':') + 1);
        return switch (type) {
            case "S" -> new ScalarValue.Text(v);
            case "N" -> ScalarValue.Number.of(v);
            case "BOOL" -> new ScalarValue.Bool(Boolean.parseBoolean(v));
            default -> throw new IllegalArgumentException(spec);
        };
    }
}
