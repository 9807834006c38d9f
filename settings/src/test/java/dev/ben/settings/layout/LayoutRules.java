package dev.ben.settings.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository's layout rules (CONVENTIONS.md: product modules name no demo table, attribute, route or event type;
 * examples are built only from the public API). Modules are the root POM's {@code <module>}s; those under
 * {@code examples/} are examples, the others product modules.
 *
 * <ol>
 *   <li><b>{@value #NO_DEMO_NAMES}</b>: the main sources and resources of every product module name none of the
 *       orders example's names ({@link #demoNameIn}): its tables ({@code orders}, {@code receiver-orders}), key and
 *       payload attributes ({@code orderId}, {@code amount}, {@code currency}), route ({@code /webhooks/orders}),
 *       event type ({@code order.paid}) and awaited value ({@code PAID}); nor the invoices example's
 *       ({@code examples/invoices-points}: its tables {@code points-invoices}, {@code points-balances},
 *       {@code points-idempotency}, API, functions, route {@code /webhooks/invoices}, {@code invoice.paid}, and
 *       identifiers starting with {@code points} such as {@code PointsLedger}). In Java the identifiers and string
 *       literals are checked, not comments (they may point at the example); in resources every line.
 *       Exempt: {@code events/}, whose JSON files and loader are sample data for {@code sam local invoke -e} and
 *       handler tests (data, not product code; rule 3 keeps it out of every product's runtime), test sources,
 *       and the top-level {@code template.yaml}, whose defaults deploy the example.</li>
 *   <li><b>{@value #PUBLIC_API_ONLY}</b>: no Java source of an example (main or test) names a product module's
 *       internal package ({@code dev.ben.*.internal}); its own ({@code dev.ben.examples.*}) it may.</li>
 *   <li><b>{@value #TEST_SCOPE_ONLY}</b>: a product module's POM depends on an example module
 *       ({@code ben-example-*}) or on {@code ben-events} in test scope only.</li>
 * </ol>
 */
final class LayoutRules {

    static final String NO_DEMO_NAMES = "product code names no demo table, attribute, route or event type";
    static final String PUBLIC_API_ONLY = "examples use only Ben's public packages";
    static final String TEST_SCOPE_ONLY = "product modules depend on examples and sample events in test scope only";

    /** The module of sample data, exempt from rule 1. */
    static final String SAMPLE_EVENTS_MODULE = "events";

    /** A broken rule: where, which rule, what. */
    record Violation(String file, int line, String rule, String detail) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + detail + " [rule: " + rule + "]";
        }
    }

    private static final Set<String> DEMO_WORDS_ANYWHERE = Set.of("orders", "paid");
    private static final Set<String> DEMO_WORDS_IN_TEXT = Set.of("amount", "currency");
    /**
     * The invoices example's names ({@code examples/invoices-points}), matched as phrases: Ben's own messages use
     * "invoices" and "invoice.settled" as neutral examples, so single words would not do ({@code invoice.paid} is
     * caught by {@code paid}).
     */
    private static final List<String> INVOICES_NAMES = List.of("points-invoices", "points-balances",
            "points-idempotency", "points-api", "points-receiver", "points-reconcile", "webhooks/invoices");
    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern INTERNAL = Pattern.compile("^dev\\.ben\\.(?!examples\\.)(?:\\w+\\.)*internal(?:\\.|$)");

    private final Path root;

    LayoutRules(Path root) {
        this.root = root;
    }

    /** Every violation in the repository. */
    List<Violation> check() {
        List<Violation> violations = new ArrayList<>();
        for (String module : modules()) {
            Path dir = root.resolve(module);
            if (module.startsWith("examples/")) {
                for (Path file : files(dir.resolve("src"), ".java")) {
                    violations.addAll(internalImports(rel(file), read(file)));
                }
                continue;
            }
            violations.addAll(dependencyScopes(rel(dir.resolve("pom.xml")), read(dir.resolve("pom.xml"))));
            if (module.equals(SAMPLE_EVENTS_MODULE)) {
                continue;
            }
            for (Path file : files(dir.resolve("src/main/java"), ".java")) {
                violations.addAll(demoNamesInJava(rel(file), read(file)));
            }
            for (Path file : files(dir.resolve("src/main/resources"), "")) {
                String text = readText(file);
                if (text != null) {
                    violations.addAll(demoNamesInText(rel(file), text));
                }
            }
        }
        return violations;
    }

    /** The root POM's modules, as paths relative to the root. */
    List<String> modules() {
        Matcher m = MODULE.matcher(read(root.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    /** Rule 1 on a Java source: identifiers and string literals. */
    static List<Violation> demoNamesInJava(String file, String source) {
        List<Violation> found = new ArrayList<>();
        for (JavaTokens.Token token : JavaTokens.of(source)) {
            if (token.kind() == JavaTokens.Kind.IDENTIFIER) {
                for (String part : token.text().split("\\.")) {
                    String name = demoNameInIdentifier(part);
                    if (name != null) {
                        found.add(new Violation(file, token.line(), NO_DEMO_NAMES, "identifier " + part
                                + " names " + example(name)));
                    }
                }
            } else {
                String[] lines = token.text().split("\n", -1);
                for (int k = 0; k < lines.length; k++) {
                    String name = demoNameIn(lines[k]);
                    if (name != null) {
                        found.add(new Violation(file, token.line() + k, NO_DEMO_NAMES, "string \""
                                + abbreviate(lines[k]) + "\" names " + example(name)));
                    }
                }
            }
        }
        return found;
    }

    /** "the orders example's 'orders': ..." — which example a found name belongs to, and where it should live. */
    private static String example(String name) {
        return INVOICES_NAMES.contains(name) || name.startsWith("points")
                ? "the invoices example's '" + name + "': the example's names belong in examples/invoices-points"
                : "the orders example's '" + name + "': the example's names belong in examples/orders";
    }

    /** Rule 1 on a resource: every line. */
    static List<Violation> demoNamesInText(String file, String text) {
        List<Violation> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int k = 0; k < lines.length; k++) {
            String name = demoNameIn(lines[k]);
            if (name != null) {
                found.add(new Violation(file, k + 1, NO_DEMO_NAMES, "\"" + abbreviate(lines[k].strip())
                        + "\" names " + example(name)));
            }
        }
        return found;
    }

    /**
     * The demo name in a piece of text (a string literal or a resource line), or null: any of its words (split at
     * non-letters and camel case, compared case-insensitively) is {@code orders}, {@code paid}, {@code amount},
     * {@code currency}, or two consecutive words are {@code order id}, or it contains one of the invoices example's
     * names ({@code points-invoices}, {@code /webhooks/invoices}, ...). {@code order.paid}, {@code receiver-orders},
     * {@code /webhooks/orders}, {@code BEN_SOURCE_TABLE_ORDERS} and {@code orderId} all match; "in order",
     * "ordered" and "border" do not.
     */
    static String demoNameIn(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String name : INVOICES_NAMES) {
            if (lower.contains(name)) {
                return name;
            }
        }
        List<String> words = words(text);
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (DEMO_WORDS_ANYWHERE.contains(w) || DEMO_WORDS_IN_TEXT.contains(w)) {
                return w;
            }
            if (w.equals("order") && i + 1 < words.size() && words.get(i + 1).equals("id")) {
                return "orderId";
            }
        }
        return null;
    }

    /**
     * The demo name in a Java identifier, or null: a word {@code orders} or {@code paid}, or {@code order} as the
     * first of several words ({@code OrderState}, {@code orderId}, {@code ORDER_ID}). {@code inOrder},
     * {@code sortOrder}, {@code ordered} and {@code amount} (a duration parser's local) do not match.
     */
    static String demoNameInIdentifier(String identifier) {
        List<String> words = words(identifier);
        for (String w : words) {
            if (DEMO_WORDS_ANYWHERE.contains(w)) {
                return w;
            }
        }
        if (words.size() > 1 && (words.getFirst().equals("order") || words.getFirst().equals("points"))) {
            return String.join("", words);
        }
        return null;
    }

    /** Lower-case words: split at anything but letters and digits, and at camel-case humps. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String chunk : text.split("[^A-Za-z0-9]+")) {
            if (chunk.isEmpty()) {
                continue;
            }
            for (String w : chunk.split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")) {
                if (!w.isEmpty()) {
                    words.add(w.toLowerCase(Locale.ROOT));
                }
            }
        }
        return words;
    }

    /** Rule 2 on an example's Java source. */
    static List<Violation> internalImports(String file, String source) {
        List<Violation> found = new ArrayList<>();
        for (JavaTokens.Token token : JavaTokens.of(source)) {
            if (token.kind() == JavaTokens.Kind.IDENTIFIER && INTERNAL.matcher(token.text()).find()) {
                found.add(new Violation(file, token.line(), PUBLIC_API_ONLY, token.text() + " is in an internal"
                        + " package of a product module: use its public API, or make what the example needs public"));
            }
        }
        return found;
    }

    /** Rule 3 on a product module's POM. */
    static List<Violation> dependencyScopes(String file, String pom) {
        List<Violation> found = new ArrayList<>();
        Matcher m = DEPENDENCY.matcher(pom);
        while (m.find()) {
            String dependency = m.group(1);
            String artifact = tag(dependency, "artifactId");
            String scope = tag(dependency, "scope");
            boolean restricted = artifact != null
                    && (artifact.startsWith("ben-example-") || artifact.equals("ben-events"));
            if (restricted && !"test".equals(scope)) {
                int line = 1 + (int) pom.substring(0, m.start()).chars().filter(ch -> ch == '\n').count();
                found.add(new Violation(file, line, TEST_SCOPE_ONLY, "dependency " + artifact + " in scope "
                        + (scope == null ? "compile" : scope) + ": give it <scope>test</scope>, or move the code"
                        + " that needs it into an example"));
            }
        }
        return found;
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">\\s*([^<]*?)\\s*</" + name + ">").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private String rel(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The file as UTF-8 text, or null for a binary file. */
    private static String readText(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.indexOf('\0') >= 0 ? null : text;
        } catch (MalformedInputException binary) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
