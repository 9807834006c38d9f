package dev.ben.settings.declaration;

/**
 * One thing wrong with a declaration.
 *
 * @param path    where, as a JSON path without the leading {@code $}: {@code sources[0].rules[1].when.becomes};
 *                {@code (declaration)} for the whole document
 * @param message what is wrong and how to fix it
 */
public record Problem(String path, String message) {

    public static final String ROOT = "(declaration)";

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
