package dev.ben.cli.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.cli.CliException;
import dev.ben.cli.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;

class ApiConnectionTest {

    @TempDir
    Path dir;

    private LocalDiscovery running(String url, String token) throws IOException {
        Path file = dir.resolve("local-api.json");
        Files.writeString(file, "{\"url\":\"" + url + "\",\"token\":\"" + token + "\"}");
        return LocalDiscovery.at(file);
    }

    @Test
    void urlAndToken_fromTheEnvironment_meanABearerToken() {
        try (ApiClient api = ApiConnection.open(Map.of(ApiConnection.URL, "http://127.0.0.1:4000",
                ApiConnection.TOKEN, "t0k"), LocalDiscovery.none())) {
            assertThat(api.base()).isEqualTo(URI.create("http://127.0.0.1:4000"));
            assertThat(api.authorizer()).isEqualTo(new BearerToken("t0k"));
        }
    }

    @Test
    void noUrl_usesTheRunningBenLocal_andItsToken() throws IOException {
        try (ApiClient api = ApiConnection.open(Map.of(), running("http://127.0.0.1:5123", "local-token"))) {
            assertThat(api.base()).isEqualTo(URI.create("http://127.0.0.1:5123"));
            assertThat(api.authorizer()).isEqualTo(new BearerToken("local-token"));
        }
    }

    @Test
    void theLocalUrlGivenWithoutAToken_takesTheTokenFromTheDiscoveryFile_anotherUrlDoesNot() throws IOException {
        LocalDiscovery local = running("http://127.0.0.1:5123", "local-token");
        try (ApiClient same = ApiConnection.open(Map.of(ApiConnection.URL, "http://127.0.0.1:5123"), local);
             ApiClient other = ApiConnection.open(Map.of(ApiConnection.URL,
                     "https://abc123.execute-api.eu-west-1.amazonaws.com", "AWS_ACCESS_KEY_ID", "AKIA",
                     "AWS_SECRET_ACCESS_KEY", "s"), local)) {
            assertThat(same.authorizer()).isEqualTo(new BearerToken("local-token"));
            assertThat(other.authorizer()).isInstanceOf(SigV4Signer.class);
            assertThat(((SigV4Signer) other.authorizer()).region()).as("from the execute-api host")
                    .isEqualTo("eu-west-1");
        }
    }

    @Test
    void aDeployedUrlWithoutToken_signsWithTheRegionGiven() {
        try (ApiClient api = ApiConnection.open(Map.of(ApiConnection.URL, "https://api.example.com/ben",
                "AWS_REGION", "ap-southeast-2", "AWS_ACCESS_KEY_ID", "AKIA", "AWS_SECRET_ACCESS_KEY", "s"),
                LocalDiscovery.none())) {
            assertThat(((SigV4Signer) api.authorizer()).region()).isEqualTo("ap-southeast-2");
        }
    }

    @Test
    void noApi_aBadUrl_orNoRegionToSignWith_areUsageErrorsSayingWhatToPass() throws IOException {
        Path unreadable = dir.resolve("half-written.json");
        Files.writeString(unreadable, "{\"url\":");

        assertThatThrownBy(() -> ApiConnection.open(Map.of(), LocalDiscovery.at(unreadable)))
                .isInstanceOf(CliException.class).hasMessageContaining("--api-url").hasMessageContaining("./ben-local")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
        assertThatThrownBy(() -> ApiConnection.open(Map.of(ApiConnection.URL, "ftp://x"), LocalDiscovery.none()))
                .hasMessageContaining("is not an http(s):// URL");
        assertThatThrownBy(() -> ApiConnection.open(Map.of(ApiConnection.URL, "https://api.example.com",
                "AWS_ACCESS_KEY_ID", "AKIA", "AWS_SECRET_ACCESS_KEY", "s"), LocalDiscovery.none()))
                .hasMessageContaining("--region");
    }

    @Test
    void noCredentialsToSignWith_isAnExit4SayingWhatToPass() {
        SigV4Signer signer = new SigV4Signer(() -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers");
        }, "eu-west-1", Clock.systemUTC());

        assertThatThrownBy(() -> signer.headers("GET", URI.create("https://x.example/v1/tenants"), new byte[0]))
                .isInstanceOf(CliException.class).hasMessageContaining("no AWS credentials")
                .hasMessageContaining("--profile").hasMessageContaining("--api-token")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.AWS));
    }

    @Test
    void apiPaths_encodeEverySegmentAndQueryValue_keepingTheBasesStage() {
        URI uri = ApiPath.of("v1", "tenants", "a b/c", "deliveries").query("since", "2026-11-29T10:00:00+01:00")
                .query("cursor", null).resolve(URI.create("https://x.example/prod/"));

        assertThat(uri.toString()).isEqualTo(
                "https://x.example/prod/v1/tenants/a%20b%2Fc/deliveries?since=2026-11-29T10%3A00%3A00%2B01%3A00");
    }
}
