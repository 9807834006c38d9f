package dev.ben.local.stack.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@code node} executable and the dynalite package installed by the build
 * ({@code local/stack/node_modules}, from {@code local/stack/package-lock.json}).
 */
public final class NodeModules {

    /** System property: a {@code node_modules} directory that contains {@code dynalite}. */
    public static final String NODE_MODULES_PROPERTY = "ben.node.modules";
    /** Environment variable alternative to {@link #NODE_MODULES_PROPERTY}. */
    public static final String NODE_MODULES_ENV = "BEN_NODE_MODULES";
    /** System property / environment variable naming the node executable (default {@code node} on the PATH). */
    public static final String NODE_PROPERTY = "ben.node";
    public static final String NODE_ENV = "BEN_NODE";

    private NodeModules() {
    }

    public static String nodeExecutable() {
        String configured = System.getProperty(NODE_PROPERTY, System.getenv(NODE_ENV));
        return configured == null || configured.isBlank() ? "node" : configured;
    }

    /** The dynalite package directory; throws with instructions when it is not installed. */
    public static Path dynaliteDirectory() {
        List<Path> tried = new ArrayList<>();
        String configured = System.getProperty(NODE_MODULES_PROPERTY, System.getenv(NODE_MODULES_ENV));
        if (configured != null && !configured.isBlank()) {
            Path candidate = Path.of(configured).toAbsolutePath().resolve("dynalite");
            if (isDynalite(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("node_modules/dynalite"),
                    dir.resolve("local/stack/node_modules/dynalite"))) {
                if (isDynalite(candidate)) {
                    return candidate;
                }
                tried.add(candidate);
            }
        }
        throw new IllegalStateException("dynalite is not installed. Build local/stack once "
                + "(`./mvnw -pl local/stack -am compile` runs `npm ci` there) or run `npm ci` in local/stack, or point -D"
                + NODE_MODULES_PROPERTY
                + "=<node_modules dir> at an installation. Looked in: " + tried);
    }

    private static boolean isDynalite(Path dir) {
        return Files.isRegularFile(dir.resolve("index.js")) && Files.isRegularFile(dir.resolve("package.json"));
    }
}
