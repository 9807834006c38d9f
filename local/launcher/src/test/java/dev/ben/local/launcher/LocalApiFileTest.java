package dev.ben.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalApiFileTest {

    @TempDir
    Path home;

    @Test
    void write_putsTheUrlAndTokenWhereTheCliLooks_readableByTheUserOnly() throws IOException {
        LocalApiFile file = new LocalApiFile(home);

        file.write(URI.create("http://127.0.0.1:4567"), "tok-1");

        assertThat(file.path()).isEqualTo(home.resolve(".ben/local-api.json"));
        var json = new ObjectMapper().readTree(file.path().toFile());
        assertThat(json.get("url").asText()).isEqualTo("http://127.0.0.1:4567");
        assertThat(json.get("token").asText()).isEqualTo("tok-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
    }

    @Test
    void delete_removesOnlyTheFileOfThisRun() {
        LocalApiFile file = new LocalApiFile(home);
        file.write(URI.create("http://127.0.0.1:2222"), "newer run");

        file.delete(URI.create("http://127.0.0.1:1111"));
        boolean keptForTheNewerRun = Files.exists(file.path());
        file.delete(URI.create("http://127.0.0.1:2222"));

        assertThat(keptForTheNewerRun).isTrue();
        assertThat(file.path()).doesNotExist();
    }
}
