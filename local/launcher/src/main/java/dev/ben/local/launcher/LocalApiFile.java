package dev.ben.local.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ben.settings.BenSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The management API's URL and bearer token of a running {@code ./ben-local}, at
 * {@value BenSettings#LOCAL_MANAGEMENT_API_FILE} under the user's home, for a CLI on the same machine: written at
 * start (readable by the user only, replaced atomically), removed at stop.
 */
public final class LocalApiFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public LocalApiFile(Path home) {
        this.file = home.resolve(BenSettings.LOCAL_MANAGEMENT_API_FILE);
    }

    public Path path() {
        return file;
    }

    public void write(URI url, String token) {
        Map<String, String> content = new LinkedHashMap<>();
        content.put("url", url.toString());
        content.put("token", token);
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "local-api", ".tmp");
            restrict(temp);
            Files.write(temp, JSON.writeValueAsBytes(content));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the file if it still names {@code url} (another ./ben-local may have started since). */
    public void delete(URI url) {
        try {
            if (Files.isRegularFile(file) && url.toString().equals(JSON.readTree(file.toFile()).path("url").asText())) {
                Files.delete(file);
            }
        } catch (IOException e) {
            // best effort at shutdown: a stale file names a port nothing listens on
        }
    }

    private static void restrict(Path temp) throws IOException {
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile directory is already private
        }
    }
}
