package dev.ben.sender.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ben.settings.declaration.Declaration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The published schema of what Ben POSTs ({@link Declaration#WEBHOOK_SCHEMA_RESOURCE}, draft 2020-12, checked by
 * networknt's validator), applied to requests a real HTTP receiver captured: the document is
 * {@code {"headers": {lower-case name: value}, "body": <the body as sent>}}.
 */
public final class WebhookSchema {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = load();

    private WebhookSchema() {
    }

    /** The schema's complaints about a captured request (empty when it conforms). */
    public static List<String> errors(TestReceiver.Received request) {
        return errors(document(request.headers(), request.body()));
    }

    /** The schema's complaints about a document (for checks that the schema refuses what it should). */
    public static List<String> errors(String document) {
        return SCHEMA.validate(document, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /** The document for a request's headers and raw body. */
    public static String document(Map<String, String> headers, String body) {
        try {
            ObjectNode document = JSON.createObjectNode();
            document.set("headers", JSON.valueToTree(headers));
            document.set("body", JSON.readTree(body));
            return JSON.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException("the body is not JSON: " + body, e);
        }
    }

    private static Schema load() {
        try (InputStream in = WebhookSchema.class.getResourceAsStream(Declaration.WEBHOOK_SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + Declaration.WEBHOOK_SCHEMA_RESOURCE + " on the classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
