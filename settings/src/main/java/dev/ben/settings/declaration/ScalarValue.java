package dev.ben.settings.declaration;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The value a {@link Condition.Becomes} condition waits for: a JSON string matches a DynamoDB {@code S}, a number an
 * {@code N} (compared numerically: {@code 3} = {@code 3.0}), a boolean a {@code BOOL}. Types never match across
 * ({@code "3"} does not match the number 3).
 */
public sealed interface ScalarValue {

    /** The value as JSON would write it. */
    Object json();

    /** A string value, compared exactly (case-sensitive). */
    record Text(String value) implements ScalarValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Object json() {
            return value;
        }
    }

    /** A number, kept exactly (trailing zeros dropped, so {@code 3.0} equals {@code 3}). */
    record Number(BigDecimal value) implements ScalarValue {
        public Number {
            Objects.requireNonNull(value, "value");
            value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        }

        public static Number of(String literal) {
            return new Number(new BigDecimal(literal));
        }

        @Override
        public Object json() {
            return value;
        }
    }

    /** A boolean. */
    record Bool(boolean value) implements ScalarValue {
        @Override
        public Object json() {
            return value;
        }
    }
}
