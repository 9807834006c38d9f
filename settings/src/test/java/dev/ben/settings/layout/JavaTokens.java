package dev.ben.settings.layout;

import java.util.ArrayList;
import java.util.List;

/**
 * The identifiers and string literals of a Java source, with their lines; comments, numbers and punctuation are
 * dropped. A qualified name ({@code dev.ben.sender.internal.Foo}, {@code BenSettings.own}) is one identifier token.
 * Enough Java for the layout rules: comments, string and char literals, text blocks.
 */
final class JavaTokens {

    enum Kind { IDENTIFIER, STRING }

    /** One token; for a text block {@code line} is where it starts. */
    record Token(Kind kind, String text, int line) {
    }

    private JavaTokens() {
    }

    static List<Token> of(String source) {
        List<Token> tokens = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                line += count(source, i, end);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end;
                tokens.add(new Token(Kind.STRING, source.substring(i + 3, end), line));
                line += count(source, i, end);
                i = Math.min(n, end + 3);
            } else if (c == '"' || c == '\'') {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    if (source.charAt(j) == '\\' && j + 1 < n) {
                        text.append(source.charAt(j)).append(source.charAt(j + 1));
                        j += 2;
                    } else {
                        text.append(source.charAt(j++));
                    }
                }
                if (c == '"') {
                    tokens.add(new Token(Kind.STRING, text.toString(), line));
                }
                i = j + 1;
            } else if (Character.isJavaIdentifierStart(c)) {
                int j = i + 1;
                while (j < n && (Character.isJavaIdentifierPart(source.charAt(j))
                        || source.charAt(j) == '.' && j + 1 < n && Character.isJavaIdentifierStart(source.charAt(j + 1)))) {
                    j++;
                }
                tokens.add(new Token(Kind.IDENTIFIER, source.substring(i, j), line));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(source.charAt(j)) || source.charAt(j) == '.'
                        || source.charAt(j) == '_')) {
                    j++;
                }
                i = j;
            } else {
                i++;
            }
        }
        return tokens;
    }

    private static int count(String s, int from, int to) {
        int lines = 0;
        for (int k = from; k < to && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
