package dev.ben.core.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.webhooks.VerificationResult.Rejected;
import dev.ben.core.webhooks.VerificationResult.Verified;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {

    // The Standard Webhooks / Svix published example (spec README and every reference library's tests).
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330L;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final Instant NOW = Instant.parse("2026-11-29T23:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String BODY = "{\"type\":\"order.paid\",\"id\":\"evt_1\",\"data\":{\"orderId\":\"o-1\",\"version\":2}}";

    private final WebhookSecret secret = WebhookSecret.generate();
    private final WebhookVerifier verifier = WebhookVerifier.builder().secrets(List.of(secret)).clock(CLOCK).build();

    private Map<String, String> signed(WebhookSecret with, Instant at, String body) {
        return new HashMap<>(WebhookSigner.of(List.of(with)).sign("evt_1", at, body.getBytes(StandardCharsets.UTF_8)).asMap());
    }

    @Test
    void sign_specPublishedVector_reproducesExpectedSignature() {
        SignedHeaders headers = WebhookSigner.of(WebhookSecret.parse(SPEC_SECRET))
                .sign(SPEC_ID, Instant.ofEpochSecond(SPEC_TIMESTAMP), SPEC_BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(headers.signature()).isEqualTo(SPEC_SIGNATURE);
        assertThat(headers.timestamp()).isEqualTo(SPEC_TIMESTAMP);
    }

    @Test
    void verify_specPublishedVector_isAccepted() {
        WebhookVerifier specVerifier = WebhookVerifier.builder().secrets(SPEC_SECRET)
                .clock(Clock.fixed(Instant.ofEpochSecond(SPEC_TIMESTAMP + 10), ZoneOffset.UTC)).build();
        Map<String, String> headers = Map.of("webhook-id", SPEC_ID, "webhook-timestamp", "1614265330",
                "webhook-signature", "v1,bm9wZQ== " + SPEC_SIGNATURE);

        VerificationResult result = specVerifier.verify(headers, SPEC_BODY);

        assertThat(result).isEqualTo(new Verified(SPEC_ID, Instant.ofEpochSecond(SPEC_TIMESTAMP)));
    }

    @Test
    void verify_validSignature_returnsIdAndTimestamp() {
        VerificationResult result = verifier.verify(signed(secret, NOW, BODY), BODY);

        assertThat(result).isEqualTo(new Verified("evt_1", NOW));
    }

    @Test
    void verify_headerNamesInAnyCase_areFound() {
        Map<String, String> headers = new HashMap<>();
        signed(secret, NOW, BODY).forEach((k, v) -> headers.put(k.toUpperCase(), v));

        assertThat(verifier.verify(headers, BODY).verified()).isTrue();
    }

    @Test
    void verify_tamperedBody_rejectedNoMatchingSignature() {
        Map<String, String> headers = signed(secret, NOW, BODY);

        VerificationResult result = verifier.verify(headers, BODY.replace("\"version\":2", "\"version\":3"));

        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void verify_tamperedId_rejectedNoMatchingSignature() {
        Map<String, String> headers = signed(secret, NOW, BODY);
        headers.put("webhook-id", "evt_2");

        assertThat(reason(verifier.verify(headers, BODY))).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void verify_wrongSecret_rejectedNoMatchingSignature() {
        Map<String, String> headers = signed(WebhookSecret.generate(), NOW, BODY);

        assertThat(reason(verifier.verify(headers, BODY))).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void verify_timestampJustInsideTolerance_accepted() {
        assertThat(verifier.verify(signed(secret, NOW.minusSeconds(300), BODY), BODY).verified()).isTrue();
        assertThat(verifier.verify(signed(secret, NOW.plusSeconds(300), BODY), BODY).verified()).isTrue();
    }

    @Test
    void verify_staleTimestamp_rejectedStale() {
        VerificationResult result = verifier.verify(signed(secret, NOW.minusSeconds(301), BODY), BODY);

        assertThat(reason(result)).isEqualTo(RejectionReason.STALE_TIMESTAMP);
        assertThat(((Rejected) result).message()).contains("301 s old");
    }

    @Test
    void verify_futureTimestamp_rejectedFuture() {
        VerificationResult result = verifier.verify(signed(secret, NOW.plusSeconds(301), BODY), BODY);

        assertThat(reason(result)).isEqualTo(RejectionReason.FUTURE_TIMESTAMP);
    }

    @Test
    void verify_configuredTolerance_isHonoured() {
        WebhookVerifier strict = WebhookVerifier.builder().secrets(List.of(secret)).clock(CLOCK)
                .tolerance(Duration.ofSeconds(10)).build();

        assertThat(reason(strict.verify(signed(secret, NOW.minusSeconds(11), BODY), BODY)))
                .isEqualTo(RejectionReason.STALE_TIMESTAMP);
        assertThat(strict.verify(signed(secret, NOW.minusSeconds(10), BODY), BODY).verified()).isTrue();
    }

    @Test
    void verify_rotation_oldSignatureAcceptedByVerifierWithBothSecrets() {
        WebhookSecret oldSecret = WebhookSecret.generate();
        WebhookSecret newSecret = WebhookSecret.generate();
        WebhookVerifier both = WebhookVerifier.builder().secrets(List.of(newSecret, oldSecret)).clock(CLOCK).build();

        assertThat(both.verify(signed(oldSecret, NOW, BODY), BODY).verified()).isTrue();
        assertThat(both.verify(signed(newSecret, NOW, BODY), BODY).verified()).isTrue();
    }

    @Test
    void verify_rotation_senderWithTwoSecretsAcceptedByReceiverWithEitherOne() {
        WebhookSecret oldSecret = WebhookSecret.generate();
        WebhookSecret newSecret = WebhookSecret.generate();
        SignedHeaders headers = WebhookSigner.of(List.of(oldSecret, newSecret))
                .sign("evt_1", NOW, BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(headers.signature().split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        for (WebhookSecret only : List.of(oldSecret, newSecret)) {
            WebhookVerifier one = WebhookVerifier.builder().secrets(List.of(only)).clock(CLOCK).build();
            assertThat(one.verify(headers.asMap(), BODY).verified()).isTrue();
        }
    }

    @Test
    void verify_missingHeaders_rejectedMissingWithNames() {
        Map<String, String> headers = signed(secret, NOW, BODY);
        headers.remove("webhook-signature");
        headers.put("webhook-id", "  ");

        VerificationResult result = verifier.verify(headers, BODY);

        assertThat(reason(result)).isEqualTo(RejectionReason.MISSING_HEADER);
        assertThat(((Rejected) result).message()).contains("webhook-id").contains("webhook-signature")
                .doesNotContain("webhook-timestamp");
        assertThat(reason(verifier.verify(Map.of(), BODY))).isEqualTo(RejectionReason.MISSING_HEADER);
        assertThat(reason(verifier.verify(null, BODY))).isEqualTo(RejectionReason.MISSING_HEADER);
    }

    @Test
    void verify_nonIntegerTimestamp_rejectedMalformed() {
        for (String bad : List.of("2026-11-29T23:00:00Z", "1.5", "-1614265330", "abc", "99999999999999999999")) {
            Map<String, String> headers = signed(secret, NOW, BODY);
            headers.put("webhook-timestamp", bad);

            assertThat(reason(verifier.verify(headers, BODY))).as(bad).isEqualTo(RejectionReason.MALFORMED_HEADER);
        }
    }

    @Test
    void verify_signatureWithoutVersionPrefix_rejectedMalformed() {
        Map<String, String> headers = signed(secret, NOW, BODY);
        headers.put("webhook-signature", headers.get("webhook-signature").substring(3));

        assertThat(reason(verifier.verify(headers, BODY))).isEqualTo(RejectionReason.MALFORMED_HEADER);
    }

    @Test
    void verify_onlyOtherVersionsOrGarbledBase64_rejectedNoMatch() {
        Map<String, String> headers = signed(secret, NOW, BODY);
        String sig = headers.get("webhook-signature").substring(3);
        headers.put("webhook-signature", "v1a," + sig + " v1,@@@notbase64@@@");

        assertThat(reason(verifier.verify(headers, BODY))).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void verify_idWithSpacesOrTooLong_rejectedMalformed() {
        Map<String, String> headers = signed(secret, NOW, BODY);
        headers.put("webhook-id", "evt 1");
        assertThat(reason(verifier.verify(headers, BODY))).isEqualTo(RejectionReason.MALFORMED_HEADER);

        headers.put("webhook-id", "e".repeat(257));
        assertThat(reason(verifier.verify(headers, BODY))).isEqualTo(RejectionReason.MALFORMED_HEADER);
    }

    @Test
    void verifyOrThrow_rejection_throwsWithReason() {
        assertThatThrownBy(() -> verifier.verifyOrThrow(Map.of(), new byte[0]))
                .isInstanceOf(WebhookVerificationException.class)
                .extracting(e -> ((WebhookVerificationException) e).reason())
                .isEqualTo(RejectionReason.MISSING_HEADER);
    }

    @Test
    void builder_secretList_parsesSpaceSeparatedSecrets() {
        WebhookSecret other = WebhookSecret.generate();
        WebhookVerifier fromList = WebhookVerifier.builder()
                .secretList(" " + other.encoded() + "  " + secret.encoded() + " ").clock(CLOCK).build();

        assertThat(fromList.verify(signed(secret, NOW, BODY), BODY).verified()).isTrue();
        assertThat(fromList.verify(signed(other, NOW, BODY), BODY).verified()).isTrue();
    }

    @Test
    void builder_badSecret_throwsBadSecretFormat() {
        for (String bad : List.of("", "whsec_", "whsec_not*base64!", "   ")) {
            assertThatThrownBy(() -> WebhookVerifier.builder().secrets(bad))
                    .as("'%s'", bad)
                    .isInstanceOf(WebhookVerificationException.class)
                    .extracting(e -> ((WebhookVerificationException) e).reason())
                    .isEqualTo(RejectionReason.BAD_SECRET_FORMAT);
        }
    }

    @Test
    void builder_noSecrets_refused() {
        assertThatThrownBy(() -> WebhookVerifier.builder().build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verify_entryWithEmptyVersionOrEmptySignature_isNotWellFormed() {
        for (String entries : List.of(",c2lnbmF0dXJl", "v1,", ", v1,", ",c2ln v1,")) {
            Map<String, String> headers = signed(secret, NOW, BODY);
            headers.put("webhook-signature", entries);

            VerificationResult result = verifier.verify(headers, BODY);

            assertThat(reason(result)).as("'%s'", entries).isEqualTo(RejectionReason.MALFORMED_HEADER);
            assertThat(((Rejected) result).message()).as("'%s'", entries).contains("<version>,<base64>");
        }
    }

    @Test
    void verify_wellFormedEntryBesideEmptyOnes_stillMatches() {
        Map<String, String> headers = signed(secret, NOW, BODY);
        headers.put("webhook-signature", ",c2ln v1, " + headers.get("webhook-signature"));

        assertThat(verifier.verify(headers, BODY).verified()).isTrue();
    }

    @Test
    void verify_signatureHeaderOfMaximumLength_isChecked_longerIsMalformed() {
        Map<String, String> headers = signed(secret, NOW, BODY);
        String valid = headers.get("webhook-signature");
        String padded = "v1," + "A".repeat(WebhookVerifier.MAX_SIGNATURE_HEADER_LENGTH - valid.length() - 4) + " " + valid;
        headers.put("webhook-signature", padded);

        VerificationResult atLimit = verifier.verify(headers, BODY);
        headers.put("webhook-signature", "v" + padded);
        VerificationResult overLimit = verifier.verify(headers, BODY);

        assertThat(padded).hasSize(WebhookVerifier.MAX_SIGNATURE_HEADER_LENGTH);
        assertThat(atLimit.verified()).isTrue();
        assertThat(reason(overLimit)).isEqualTo(RejectionReason.MALFORMED_HEADER);
        assertThat(((Rejected) overLimit).message()).contains("longer than 4096");
    }

    @Test
    void verify_futureTimestamp_saysHowFarAhead() {
        VerificationResult result = verifier.verify(signed(secret, NOW.plusSeconds(420), BODY), BODY);

        assertThat(((Rejected) result).message()).contains("420 s in the future").contains("tolerance is 300 s");
    }

    @Test
    void verify_eighteenDigitTimestamp_isAFutureTimestamp_nineteenDigitsAreMalformed() {
        Map<String, String> headers = signed(secret, NOW, BODY);
        headers.put("webhook-timestamp", "9".repeat(18));
        RejectionReason eighteen = reason(verifier.verify(headers, BODY));
        headers.put("webhook-timestamp", "1" + "0".repeat(18));
        RejectionReason nineteen = reason(verifier.verify(headers, BODY));

        assertThat(eighteen).isEqualTo(RejectionReason.FUTURE_TIMESTAMP);
        assertThat(nineteen).isEqualTo(RejectionReason.MALFORMED_HEADER);
    }

    @Test
    void verify_idAtTheLengthLimitAndPrintableAsciiEdges_isAccepted() {
        for (String id : List.of("e".repeat(256), "!", "~", "evt_!~")) {
            Map<String, String> headers = new HashMap<>(WebhookSigner.of(secret)
                    .sign(id, NOW, BODY.getBytes(StandardCharsets.UTF_8)).asMap());

            assertThat(verifier.verify(headers, BODY)).as(id).isEqualTo(new Verified(id, NOW));
        }
    }

    @Test
    void verify_idWithControlOrNonAsciiCharacters_rejectedMalformed() {
        for (String id : List.of("evt\u007f1", "evt\u00e91", "evt\t1")) {
            Map<String, String> headers = signed(secret, NOW, BODY);
            headers.put("webhook-id", id);

            assertThat(reason(verifier.verify(headers, BODY))).as(id).isEqualTo(RejectionReason.MALFORMED_HEADER);
        }
    }

    @Test
    void verify_rejection_isNotVerified() {
        VerificationResult result = verifier.verify(Map.of(), BODY);

        assertThat(result.verified()).isFalse();
    }

    @Test
    void verifyOrThrow_validSignature_returnsTheVerifiedMessage() {
        Verified verified = verifier.verifyOrThrow(signed(secret, NOW, BODY), BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(verified).isEqualTo(new Verified("evt_1", NOW));
    }

    @Test
    void tolerance_isTheConfiguredOne_fiveMinutesByDefault() {
        WebhookVerifier tight = WebhookVerifier.builder().secrets(List.of(secret)).tolerance(Duration.ofSeconds(30))
                .build();

        assertThat(verifier.tolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(tight.tolerance()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void sign_invalidId_isRefusedBeforeSigning() {
        WebhookSigner signer = WebhookSigner.of(secret);
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);

        for (String id : List.of("", "evt 1", "e".repeat(257), "evt\u00e9")) {
            assertThatThrownBy(() -> signer.sign(id, NOW, body)).as("'%s'", id)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhook");
        }
        assertThatThrownBy(() -> signer.sign(null, NOW, body)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sign_withoutTimestamp_usesTheSignersClock() {
        Instant at = Instant.parse("2026-11-29T22:58:30.750Z");
        WebhookSigner signer = WebhookSigner.of(List.of(secret), Clock.fixed(at, ZoneOffset.UTC));

        SignedHeaders fromString = signer.sign("evt_1", BODY);
        SignedHeaders fromBytes = signer.sign("evt_1", BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(fromString.timestamp()).isEqualTo(at.getEpochSecond());
        assertThat(fromBytes).isEqualTo(fromString);
        assertThat(verifier.verify(fromString.asMap(), BODY).verified()).isTrue();
    }

    @Test
    void sign_signerOnTheSystemClock_isAcceptedByAVerifierOnTheSystemClock() {
        WebhookVerifier systemClock = WebhookVerifier.builder().secrets(List.of(secret)).build();

        SignedHeaders headers = WebhookSigner.of(List.of(secret)).sign("evt_1", BODY);

        assertThat(systemClock.verify(headers.asMap(), BODY).verified()).isTrue();
    }

    private static RejectionReason reason(VerificationResult result) {
        assertThat(result).isInstanceOf(Rejected.class);
        return ((Rejected) result).reason();
    }
}
