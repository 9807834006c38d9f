package dev.ben.settings.declaration;

/**
 * A key attribute of a source table.
 *
 * @param name attribute name
 * @param type {@link KeyType#S} or {@link KeyType#N}
 */
public record KeyAttribute(String name, KeyType type) {

    public static KeyAttribute string(String name) {
        return new KeyAttribute(name, KeyType.S);
    }

    public static KeyAttribute number(String name) {
        return new KeyAttribute(name, KeyType.N);
    }
}
