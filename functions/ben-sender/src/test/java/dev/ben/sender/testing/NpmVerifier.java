package dev.ben.sender.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Verifies a received webhook with the independent {@code standardwebhooks} npm package, through the line-protocol
 * script ben-core's interop test pins ({@code functions/ben-core/src/test/node}: package-lock.json + interop.mjs),
 * installed with {@code npm ci} into this module's {@code target/}. Needs Node.js ≥ 20, as the rest of the build.
 */
public final class NpmVerifier {

    private static final Path SOURCE = Path.of("..", "ben-core", "src", "test", "node");
    private static final Path WORK = Path.of("target", "node-standardwebhooks");

    private NpmVerifier() {
    }

    /** "ok" when the npm package verifies the request, else "error &lt;its message&gt;". */
    public static synchronized String verify(String secret, String id, String timestamp, String body,
                                             String signatureHeader) throws IOException, InterruptedException {
        install();
        String line = String.join(" ", "verify", secret, id, timestamp, b64(signatureHeader), b64(body)) + "\n";
        Process node = new ProcessBuilder("node", "interop.mjs").directory(WORK.toFile()).start();
        node.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
            throw new IllegalStateException("node interop.mjs failed: " + err);
        }
        return out;
    }

    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String file : new String[] {"package.json", "package-lock.json", "interop.mjs"}) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(WORK.resolve("node_modules/standardwebhooks/package.json"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(WORK.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci of the standardwebhooks package failed: " + out);
            }
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
