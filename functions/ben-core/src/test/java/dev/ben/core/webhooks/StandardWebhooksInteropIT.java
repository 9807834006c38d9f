package dev.ben.core.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves ben-core's signer and verifier against an independent implementation: the {@code standardwebhooks}
 * npm package (pinned in src/test/node/package-lock.json, installed with {@code npm ci} into target/).
 * Requires Node.js ≥ 20 on the PATH, as the rest of the build does.
 */
class StandardWebhooksInteropIT {

    private static final Path SOURCE = Path.of("src", "test", "node");
    private static final Path WORK = Path.of("target", "node-interop");

    private static final List<String> BODIES = List.of(
            "{\"type\":\"order.paid\",\"id\":\"evt_1\",\"data\":{\"orderId\":\"o-1\",\"status\":\"PAID\",\"version\":2}}",
            "{\"test\": 2432232314}",
            "{\"text\":\"ünïcødé — 支付 ✓\",\"n\":[1,2,3]}",
            "",
            "not json at all: a.b.c");

    @BeforeAll
    static void installIndependentImplementation() throws Exception {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "interop.mjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(WORK.resolve("node_modules/standardwebhooks/package.json"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(WORK.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci finished").isTrue();
            assertThat(npm.exitValue()).as("npm ci (Node.js >= 20 needed): %s", out).isZero();
        }
    }

    @Test
    void javaVerifier_acceptsSignaturesMadeByStandardWebhooksNpm() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();
        long now = Instant.now().getEpochSecond();
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < BODIES.size(); i++) {
            requests.add(String.join(" ", "sign", secret.encoded(), "evt_" + i, Long.toString(now), b64(BODIES.get(i))));
        }
        requests.add(String.join(" ", "sign", secret.encoded().substring("whsec_".length()), "evt_noprefix",
                Long.toString(now), b64(BODIES.get(0))));

        List<String> signatures = node(requests);

        WebhookVerifier verifier = WebhookVerifier.builder().secrets(List.of(secret)).build();
        for (int i = 0; i < BODIES.size(); i++) {
            Map<String, String> headers = headers("evt_" + i, now, signatures.get(i));
            assertThat(signatures.get(i)).startsWith("v1,");
            assertThat(verifier.verify(headers, BODIES.get(i)).verified()).as("body %d", i).isTrue();
            assertThat(verifier.verify(headers, BODIES.get(i) + " ").verified()).as("tampered body %d", i).isFalse();
        }
        assertThat(verifier.verify(headers("evt_noprefix", now, signatures.get(BODIES.size())), BODIES.get(0))
                .verified()).isTrue();
    }

    @Test
    void javaSigner_producesSignaturesStandardWebhooksNpmAccepts_includingRotation() throws Exception {
        WebhookSecret oldSecret = WebhookSecret.generate();
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookSecret unrelated = WebhookSecret.generate();
        WebhookSigner signer = WebhookSigner.of(List.of(oldSecret, newSecret));
        List<String> requests = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < BODIES.size(); i++) {
            SignedHeaders signed = signer.sign("evt_" + i, BODIES.get(i));
            for (WebhookSecret verifyWith : List.of(oldSecret, newSecret, unrelated)) {
                requests.add(verifyLine(verifyWith, signed, BODIES.get(i)));
                expected.add(verifyWith == unrelated ? "error No matching signature found" : "ok");
            }
            requests.add(verifyLine(newSecret, signed, BODIES.get(i) + "x"));
            expected.add("error No matching signature found");
        }

        assertThat(node(requests)).containsExactlyElementsOf(expected);
    }

    @Test
    void bothImplementations_agreeOnTheSignatureBytes() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();
        long timestamp = 1_700_000_000L;
        List<String> requests = new ArrayList<>();
        List<String> javaSignatures = new ArrayList<>();
        for (int i = 0; i < BODIES.size(); i++) {
            requests.add(String.join(" ", "sign", secret.encoded(), "evt_" + i, Long.toString(timestamp), b64(BODIES.get(i))));
            javaSignatures.add(WebhookSigner.of(secret)
                    .sign("evt_" + i, Instant.ofEpochSecond(timestamp), BODIES.get(i).getBytes(StandardCharsets.UTF_8))
                    .signature());
        }

        assertThat(node(requests)).containsExactlyElementsOf(javaSignatures);
    }

    private static String verifyLine(WebhookSecret secret, SignedHeaders signed, String body) {
        return String.join(" ", "verify", secret.encoded(), signed.id(), Long.toString(signed.timestamp()),
                b64(signed.signature()), b64(body));
    }

    private static Map<String, String> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> node(List<String> lines) throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", "interop.mjs").directory(WORK.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = node.getOutputStream()) {
            in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(node.exitValue()).as("node interop.mjs exit code").isZero();
        List<String> results = out.lines().toList();
        assertThat(results).hasSize(lines.size());
        return results;
    }
}
