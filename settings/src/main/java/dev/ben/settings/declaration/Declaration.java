package dev.ben.settings.declaration;

import dev.ben.settings.EnvVars;
import dev.ben.settings.declaration.internal.DeclarationTree;
import dev.ben.settings.declaration.internal.DeclarationValidator;
import dev.ben.settings.declaration.internal.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Ben watches and emits: the user's source tables and the rules that turn their changes into events. One
 * validated value, read from JSON ({@link #parse}, {@link #read}, {@link #fromEnvironment}) or built in code, and
 * written back as JSON ({@link #toJson}) for the functions' {@value EnvVars#DECLARATION} variable. The JSON form is
 * described by {@value #SCHEMA_RESOURCE} (on the classpath of {@code ben-settings}) and docs/declaration.md.
 *
 * <pre>{@code
 * Declaration d = Declaration.read(Path.of("ben.json"));         // or parse(json), or built in code:
 * Declaration d = new Declaration(List.of(Source.of("invoices", "invoices", KeyAttribute.string("tenantId"),
 *         Rule.of("invoice.settled", Rule.attributes("invoiceId", "amount"))
 *             .withWhen(new Condition.Becomes("settled", new ScalarValue.Bool(true)))
 *             .withTenant("tenantId"))
 *         .withSortKey(KeyAttribute.string("invoiceId"))));
 * env.put(EnvVars.DECLARATION, d.toJson());                       // what notify reads at start-up
 * }</pre>
 *
 * <p>The constructor validates: a declaration that exists is usable. Problems are reported all at once, each with
 * its JSON path and the fix ({@link DeclarationException#problems()}).
 *
 * @param sources at least one source
 */
public record Declaration(List<Source> sources) {

    /** Classpath resource of the JSON Schema of the declaration's JSON form. */
    public static final String SCHEMA_RESOURCE = "/dev/ben/settings/declaration/ben-declaration.schema.json";

    /**
     * Classpath resource of the JSON Schema of what the declared rules make Ben POST: the payload envelope and the
     * Standard Webhooks headers (docs/receiver.md).
     */
    public static final String WEBHOOK_SCHEMA_RESOURCE = "/dev/ben/settings/declaration/ben-webhook.schema.json";

    /** Most bytes {@link #toJson()} may have (Lambda's 4 KB environment, less room for Ben's other variables). */
    public static final int MAX_JSON_BYTES = DeclarationValidator.MAX_JSON_BYTES;

    /** Lambda's limit on the total size of a function's environment variables (names and values). */
    public static final int MAX_ENVIRONMENT_BYTES = 4096;

    public Declaration {
        sources = sources == null ? List.of() : List.copyOf(sources);
        List<Problem> problems = DeclarationValidator.validate(DeclarationTree.toTree(sources));
        if (!problems.isEmpty()) {
            throw new DeclarationException("invalid Ben declaration", problems);
        }
    }

    /** Parses and validates the JSON form. */
    public static Declaration parse(String json) {
        return parse(json, "invalid Ben declaration");
    }

    /** Every problem of a JSON declaration (empty when valid), without throwing: for tools and tests. */
    public static List<Problem> problems(String json) {
        Object tree;
        try {
            tree = JsonText.parse(json);
        } catch (JsonText.SyntaxException e) {
            return List.of(new Problem(Problem.ROOT, "is not valid JSON: " + e.getMessage()));
        }
        return DeclarationValidator.validate(tree);
    }

    /** Reads a declaration file; problems name the file. */
    public static Declaration read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Ben declaration " + file + ": " + e.getMessage(), e);
        }
        return parse(json, "invalid Ben declaration in " + file);
    }

    /**
     * The declaration a function was given in {@value EnvVars#DECLARATION}.
     *
     * @throws DeclarationException when the variable is missing or the declaration invalid, saying what to set
     */
    public static Declaration fromEnvironment(Map<String, String> env) {
        String json = env.get(EnvVars.DECLARATION);
        if (json == null || json.isBlank()) {
            throw new DeclarationException("no Ben declaration", List.of(new Problem(Problem.ROOT,
                    "environment variable " + EnvVars.DECLARATION + " is not set: set it to the declaration's JSON"
                            + " (the CDK construct, template.yaml's Declaration parameter and the local runtime do;"
                            + " see docs/declaration.md)")));
        }
        return parse(json, "invalid Ben declaration in environment variable " + EnvVars.DECLARATION);
    }

    private static Declaration parse(String json, String context) {
        List<Problem> problems = problems(json);
        if (!problems.isEmpty()) {
            throw new DeclarationException(context, problems);
        }
        return DeclarationTree.fromTree(asMap(JsonText.parse(json)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object tree) {
        return (Map<String, Object>) tree;
    }

    /** Compact canonical JSON (defaults left out): the value of {@value EnvVars#DECLARATION}. */
    public String toJson() {
        return JsonText.write(DeclarationTree.toTree(sources));
    }

    /** The same, indented: for files and docs. */
    public String toPrettyJson() {
        return JsonText.writePretty(DeclarationTree.toTree(sources));
    }

    /** The source with this name. */
    public Optional<Source> source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Checks a function's whole environment against Lambda's 4 KB limit (names plus values, UTF-8), for the infra
     * once the values are known.
     *
     * @throws IllegalArgumentException naming the total, the limit and the largest variables
     */
    public static void checkEnvironmentSize(String function, Map<String, String> environment) {
        int total = 0;
        List<Map.Entry<String, Integer>> sizes = new ArrayList<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            int size = e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + (e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length);
            total += size;
            sizes.add(Map.entry(e.getKey(), size));
        }
        if (total > MAX_ENVIRONMENT_BYTES) {
            sizes.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
            Map<String, Integer> largest = new LinkedHashMap<>();
            sizes.stream().limit(3).forEach(e -> largest.put(e.getKey(), e.getValue()));
            throw new IllegalArgumentException("the environment of function " + function + " is " + total
                    + " bytes; Lambda allows " + MAX_ENVIRONMENT_BYTES + " (largest: " + largest + "): shrink "
                    + EnvVars.DECLARATION + " (fewer or shorter rules) or drop optional variables");
        }
    }
}
