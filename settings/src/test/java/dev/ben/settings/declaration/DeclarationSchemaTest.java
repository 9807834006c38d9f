package dev.ben.settings.declaration;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published JSON Schema ({@link Declaration#SCHEMA_RESOURCE}) checked by a maintained validator (networknt,
 * draft 2020-12): it accepts every shipped example and agrees with Ben's own validator on good and bad declarations.
 */
class DeclarationSchemaTest {

    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = DeclarationSchemaTest.class.getResourceAsStream(Declaration.SCHEMA_RESOURCE)) {
            assertThat(in).as("schema on the classpath at " + Declaration.SCHEMA_RESOURCE).isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in, InputFormat.JSON);
        }
    }

    static Stream<Path> shippedExamples() throws URISyntaxException, java.io.IOException {
        Path examples = Path.of(DeclarationSchemaTest.class.getResource("/examples").toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(examples)) {
            files = walk.filter(p -> p.getFileName().toString().equals("ben.json")).toList();
        }
        assertThat(files).as("example declarations under examples/").isNotEmpty();
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("shippedExamples")
    void shippedExample_isValidByTheSchemaAndByBen(Path file) throws Exception {
        String json = Files.readString(file);

        assertThat(schemaErrors(json)).as(file.toString()).isEmpty();
        assertThat(Declaration.problems(json)).as(file.toString()).isEmpty();
    }

    @Test
    void fullExample_isValidByBoth() {
        assertThat(schemaErrors(DeclarationTest.INVOICES)).isEmpty();
        assertThat(Declaration.problems(DeclarationTest.INVOICES)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"sources\": []}",
            "{\"sources\": [{\"name\": \"t\", \"table\": \"abc\", \"partitionKey\": {\"name\": \"k\", \"type\": \"S\"}}]}",
            SOURCE + "{\"eventType\": \"x\"}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"payload\": \"oldImage\"}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"payload\": {\"attributes\": []}}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"payload\": \"newImage\", \"colour\": 1}]}]}",
            SOURCE + "{\"eventType\": \"x y\", \"payload\": \"newImage\"}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"on\": [], \"payload\": \"newImage\"}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"on\": [\"DELETE\"], \"payload\": \"newImage\"}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"when\": {\"attribute\": \"a\", \"becomes\": null}, \"payload\": \"newImage\"}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"when\": {\"attribute\": \"a\", \"changes\": false}, \"payload\": \"newImage\"}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"when\": {\"attribute\": \"a\"}, \"payload\": \"newImage\"}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"notifyUrl\": \"u\", \"payload\": \"newImage\"}]}]}",
            "{\"sources\": [{\"name\": \"t\", \"table\": \"abc\", \"partitionKey\": {\"name\": \"k\", \"type\": \"B\"},"
                    + " \"rules\": [{\"eventType\": \"x\", \"payload\": \"newImage\"}]}]}",
            "{\"sources\": [{\"name\": \"ben-t\", \"table\": \"abc\", \"partitionKey\": {\"name\": \"k\", \"type\": \"S\"},"
                    + " \"rules\": [{\"eventType\": \"x\", \"payload\": \"newImage\"}]}]}",
            "{\"sources\": [{\"name\": \"t\", \"table\": \"abc\", \"streamViewType\": \"KEYS_ONLY\","
                    + " \"partitionKey\": {\"name\": \"k\", \"type\": \"S\"},"
                    + " \"rules\": [{\"eventType\": \"x\", \"payload\": \"newImage\"}]}]}",
            "{\"sources\": [{\"name\": \"t\", \"table\": \"abc\", \"parallelization\": 11,"
                    + " \"partitionKey\": {\"name\": \"k\", \"type\": \"S\"},"
                    + " \"rules\": [{\"eventType\": \"x\", \"payload\": \"newImage\"}]}]}",
            "{\"sources\": [{\"name\": \"t\", \"table\": \"abc\", \"parallelization\": 1.5,"
                    + " \"partitionKey\": {\"name\": \"k\", \"type\": \"S\"},"
                    + " \"rules\": [{\"eventType\": \"x\", \"payload\": \"newImage\"}]}]}",
    })
    void badDeclaration_isRefusedByTheSchemaAndByBen(String json) {
        assertThat(schemaErrors(json)).as("schema errors").isNotEmpty();
        assertThat(Declaration.problems(json)).as("Ben's problems").isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            SOURCE + "{\"eventType\": \"x\", \"payload\": \"newImage\"}]}]}",
            SOURCE + "{\"eventType\": \"Invoice.Settled:v2\", \"on\": [\"REMOVE\"], \"when\": {\"attribute\": \"a\","
                    + " \"changes\": true}, \"payload\": {\"attributes\": [\"a\"]}}]}]}",
            SOURCE + "{\"eventType\": \"x\", \"when\": {\"attribute\": \"n\", \"becomes\": 3.5}, \"tenant\": \"t\","
                    + " \"notifyUrl\": \"u\", \"version\": \"v\", \"payload\": \"newImage\"}]}]}",
            "{\"sources\": [{\"name\": \"t\", \"table\": \"abc\", \"parallelization\": 4,"
                    + " \"partitionKey\": {\"name\": \"k\", \"type\": \"S\"},"
                    + " \"rules\": [{\"eventType\": \"x\", \"payload\": \"newImage\"}]}]}",
    })
    void goodDeclaration_isAcceptedByBoth(String json) {
        assertThat(schemaErrors(json)).isEmpty();
        assertThat(Declaration.problems(json)).isEmpty();
    }

    private static final String SOURCE = "{\"$schema\": \"x\", \"sources\": [{\"name\": \"t\", \"table\": \"abc\","
            + " \"partitionKey\": {\"name\": \"k\", \"type\": \"S\"}, \"rules\": [";

    private static List<Error> schemaErrors(String json) {
        return schema.validate(json, InputFormat.JSON);
    }
}
