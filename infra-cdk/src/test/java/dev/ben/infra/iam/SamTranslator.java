package dev.ben.infra.iam;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * AWS's own SAM translator (the Python package {@code aws-sam-translator}, which {@code sam deploy} and cfn-lint
 * use), run offline on a template: the roles it generates are what CloudFormation would create. Optional: when
 * {@code python3} or the package is missing, {@link #translate} is empty and the caller skips.
 */
public final class SamTranslator {

    private SamTranslator() {
    }

    /** Why the translator cannot run here, empty when it can. */
    public static Optional<String> unavailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import samtranslator").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("python3 did not answer within 60 s");
            }
            return p.exitValue() == 0 ? Optional.empty()
                    : Optional.of("python3 cannot import samtranslator (pip install aws-sam-translator): " + out.trim());
        } catch (IOException e) {
            return Optional.of("no python3 on PATH: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The CloudFormation template SAM makes of {@code template} with these parameter values. */
    public static Map<String, Object> translate(Path template, Map<String, String> parameters) {
        try {
            Path dir = Files.createTempDirectory("ben-sam-translate");
            Path script = dir.resolve("sam_translate.py");
            try (InputStream in = SamTranslator.class.getResourceAsStream("/iam/sam_translate.py")) {
                Files.write(script, in.readAllBytes());
            }
            Path output = dir.resolve("template.json");
            List<String> command = new ArrayList<>(List.of("python3", script.toString(), template.toString(),
                    output.toString()));
            parameters.forEach((k, v) -> command.add(k + "=" + v));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("AWS_DEFAULT_REGION", ArnSpace.REGION);
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("the SAM translator refused " + template + ": " + out);
            }
            return new ObjectMapper().readValue(output.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the SAM translator: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
