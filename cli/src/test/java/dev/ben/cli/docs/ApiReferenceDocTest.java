package dev.ben.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md, the API reference, against docs/api/openapi.yaml: every operation of the document has its section
 * in the reference (heading {@code ### operationId — METHOD /path}) and every section names an operation of the
 * document, so neither can gain or lose an operation alone; every section shows a {@code curl} call of its own
 * method and path, and the reference shows SigV4-signed ({@code awscurl}) calls for AWS.
 */
class ApiReferenceDocTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final Pattern HEADING = Pattern.compile("^### `?([A-Za-z0-9]+)`? — (GET|POST|PUT|PATCH|DELETE) (\\S+)$");

    private final Path root = repoRoot();

    /** operationId → "METHOD /path" in the OpenAPI document. */
    private Map<String, String> documentOperations() throws IOException {
        JsonNode openapi = new YAMLMapper().readTree(root.resolve("docs/api/openapi.yaml").toFile());
        Map<String, String> operations = new TreeMap<>();
        openapi.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                String id = op.getValue().path("operationId").asText("");
                assertThat(id).as(op.getKey() + " " + path.getKey() + " has an operationId").isNotBlank();
                operations.put(id, op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    /** operationId → its section's text in docs/api.md (heading included). */
    private Map<String, String> referenceSections() throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("docs/api.md"));
        Map<String, String> sections = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            Matcher m = HEADING.matcher(line);
            if (m.matches() || line.startsWith("## ") || line.startsWith("### ")) {
                if (current != null) {
                    sections.put(current, text.toString());
                }
                current = m.matches() ? m.group(1) : null;
                text.setLength(0);
            }
            text.append(line).append('\n');
        }
        if (current != null) {
            sections.put(current, text.toString());
        }
        return sections;
    }

    @Test
    void everyOperationOfTheDocument_hasItsSection_andEverySectionIsAnOperationOfTheDocument() throws IOException {
        Map<String, String> document = documentOperations();
        Map<String, String> reference = new TreeMap<>();
        referenceSections().forEach((id, text) -> {
            Matcher m = HEADING.matcher(text.lines().findFirst().orElseThrow());
            assertThat(m.matches()).isTrue();
            reference.put(id, m.group(2) + " " + m.group(3));
        });

        assertThat(document).as("operations of docs/api/openapi.yaml").isNotEmpty();
        assertThat(reference).as("sections of docs/api.md (### operationId — METHOD /path)").isEqualTo(document);
    }

    @Test
    void everySection_showsACurlCallOfItsMethodAndPath() throws IOException {
        Map<String, String> document = documentOperations();
        referenceSections().forEach((id, text) -> {
            String[] route = document.getOrDefault(id, "GET /").split(" ", 2);
            String example = curlCommand(text);

            assertThat(example).as(id + " has a curl example").isNotEmpty();
            if (!route[0].equals("GET")) {
                assertThat(example).as(id + " curl uses its method").contains("-X " + route[0]);
            }
            assertThat(Pattern.compile("\\$BEN_API" + pathPattern(route[1]) + "([?\"'\\s]|$)").matcher(example).find())
                    .as(id + " curl calls " + route[1] + ": " + example).isTrue();
        });
    }

    /** The section's first curl command, its continuation lines joined. */
    private static String curlCommand(String section) {
        Matcher m = Pattern.compile("(?m)^curl (?:.*\\\\\n)*.*").matcher(section);
        return m.find() ? m.group().replace("\\\n", " ") : "";
    }

    /** A path template as a regex: each {@code {param}} stands for one segment. */
    private static String pathPattern(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("\\{[^}]+}", -1)) {
            if (!regex.isEmpty() || template.startsWith("{")) {
                regex.append("[^/\\s?\"']+");
            }
            regex.append(Pattern.quote(part));
        }
        return regex.toString();
    }

    @Test
    void theReference_showsSignedCallsForAws_andTheBearerTokenLocally() throws IOException {
        String reference = Files.readString(root.resolve("docs/api.md"));

        assertThat(reference).contains("awscurl --service execute-api").contains("Authorization: Bearer");
    }

    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the repository root (mvnw, docs/) is not above " + Path.of("").toAbsolutePath());
    }
}
