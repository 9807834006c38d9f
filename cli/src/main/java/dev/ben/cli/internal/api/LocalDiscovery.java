package dev.ben.cli.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The management API of a running {@code ./ben-local}, from the file it writes at start and removes at exit
 * ({@code BenSettings.LOCAL_MANAGEMENT_API_FILE} under the user's home):
 * {@code {"url": "http://127.0.0.1:PORT", "token": "..."}}. Lets {@code ./ben ...} work locally with no flags.
 */
public final class LocalDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A local API: its base URL and bearer token. */
    public record LocalApi(URI url, String token) {
        @Override
        public String toString() {
            return "LocalApi[" + url + "]"; // never print the token
        }
    }

    private final Optional<Path> file;

    private LocalDiscovery(Optional<Path> file) {
        this.file = file;
    }

    public static LocalDiscovery at(Path file) {
        return new LocalDiscovery(Optional.of(file));
    }

    /** No discovery (tests, or when the CLI is told where the API is). */
    public static LocalDiscovery none() {
        return new LocalDiscovery(Optional.empty());
    }

    public Optional<Path> file() {
        return file;
    }

    /** The API the file names; empty when there is no file or it cannot be read (./ben-local not running). */
    public Optional<LocalApi> find() {
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.get().toFile());
            String url = node.path("url").asText("");
            String token = node.path("token").asText("");
            return url.isBlank() || token.isBlank() ? Optional.empty()
                    : Optional.of(new LocalApi(URI.create(url.strip()), token.strip()));
        } catch (IOException | IllegalArgumentException unreadable) {
            return Optional.empty(); // half-written or stale: as if ./ben-local were not running
        }
    }
}
