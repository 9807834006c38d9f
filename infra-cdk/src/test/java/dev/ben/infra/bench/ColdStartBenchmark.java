package dev.ben.infra.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.ben.events.SampleEvents;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.infra.BenNotification;
import dev.ben.infra.FunctionCode;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.joda.time.DateTime;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Cold start of every function on this machine, next to a hello-world {@link HelloWorldHandler} measured the same
 * way in the same run (the last two columns: each median over the baseline's). For each function, {@code bench.runs}
 * fresh JVMs (classpath = the function's shaded jar + the Lambda runtime's serialization library) each construct the
 * handler and handle the function's sample event from {@code events/} against the local stack (dynalite + ElasticMQ). Prints, per
 * function: jar size, wall time from process start to the handled event (min / median / max), the in-JVM
 * init and first-invoke times, the CPU time the function JVM used up to the handled event (less sensitive to
 * other load on the machine than wall time), and the first invoke after the handlers' CRaC priming ran in the
 * init phase ("primed invoke": what a SnapStart restore leaves to the first event, restore itself excluded).
 *
 * <p>Run: {@code ./mvnw -B -q -pl infra-cdk -am verify -Pcold-start -DskipTests [-Dbench.runs=5]}.
 * Not SnapStart: this measures a plain JVM start (the worst case Lambda avoids by restoring a snapshot).
 */
public final class ColdStartBenchmark {

    private static final Map<String, String> SAMPLE = Map.of(
            "notify", SampleEvents.STREAM_MODIFY_PAID,
            "retry", SampleEvents.SQS_RETRY,
            "sweeper", SampleEvents.SCHEDULE_SWEEPER,
            "status-api", SampleEvents.HTTP_STATUS_ENTITY_EVENTS,
            "receiver", SampleEvents.HTTP_RECEIVER_WEBHOOK,
            "reconcile", SampleEvents.SCHEDULE_RECONCILE,
            "management-api", SampleEvents.HTTP_MANAGEMENT_LIST_DELIVERIES);
    private static final Map<String, Class<?>> EVENT_TYPE = Map.of(
            "notify", DynamodbEvent.class, "retry", SQSEvent.class, "sweeper", ScheduledEvent.class,
            "status-api", APIGatewayV2HTTPEvent.class, "receiver", APIGatewayV2HTTPEvent.class,
            "reconcile", ScheduledEvent.class, "management-api", APIGatewayV2HTTPEvent.class);

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 3);
        Path root = Path.of(System.getProperty("ben.repoRoot", "..")).toAbsolutePath().normalize();
        BenSettings settings = OrdersExample.settings();
        Path work = Files.createTempDirectory("ben-cold-start");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String support = location(LambdaEventSerializers.class) + File.pathSeparator
                + location(ColdStartHarness.class);

        System.out.printf(Locale.ROOT, "Cold start, fresh JVM -> first handled event (%s %s, %d cores, load %.1f, "
                        + "%d runs each; times in ms)%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), runs);
        System.out.printf(Locale.ROOT, "%-11s %7s %9s %9s %9s %9s %10s %8s %13s %8s %8s  %s%n", "function",
                "jar MB", "wall min", "wall med", "wall max", "init med", "invoke med", "cpu med", "primed invoke",
                "wall/hw", "cpu/hw", "result of the last run");
        try (LocalAws aws = LocalAws.start()) {
            ProvisionedResources resources = aws.provision(settings, "bench-");
            seedOrder(aws, resources);
            Path hello = work.resolve("hello-event.json");
            Files.writeString(hello, SampleEvents.json(SampleEvents.SCHEDULE_SWEEPER));
            // the runtime's serialization needs joda-time for events with times (the function jars shade it)
            Run[] baseline = measure(javaBin, location(RequestHandler.class) + File.pathSeparator
                    + location(ScheduledEvent.class) + File.pathSeparator + location(DateTime.class)
                    + File.pathSeparator + support, HelloWorldHandler.class.getName(),
                    ScheduledEvent.class, hello, "hello-world", 512, Map.of("PATH", "/usr/bin:/bin"), runs, false, work);
            print("hello-world", 0, baseline, baseline[0]);
            for (FunctionSpec spec : settings.functions()) {
                Path jar = root.resolve(spec.module()).resolve(FunctionCode.SHADED_JAR);
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("No " + jar + ": package the functions first (-am package)");
                }
                Run[] measured = measure(javaBin, jar + File.pathSeparator + support, spec.handler(),
                        EVENT_TYPE.get(spec.logicalName()), eventFile(spec, work), spec.logicalName(),
                        spec.memoryMb(), environment(spec, resources), runs, true, work);
                print(spec.logicalName(), Files.size(jar) / 1024.0 / 1024.0, measured, baseline[0]);
            }
        }
    }

    /** {@code runs} fresh JVMs per mode: {@code [cold, primed]} (primed only when {@code primedToo}). */
    private static Run[] measure(String javaBin, String classpath, String handler, Class<?> eventType, Path event,
                                 String function, int memoryMb, Map<String, String> env, int runs,
                                 boolean primedToo, Path work) throws Exception {
        Run plain = new Run();
        Run primed = new Run();
        for (int i = 0; i < runs; i++) {
            for (boolean prime : primedToo ? new boolean[] {false, true} : new boolean[] {false}) {
                ProcessBuilder process = new ProcessBuilder(javaBin, "-XX:+UseSerialGC",
                        "-Xmx" + Math.max(128, memoryMb * 3 / 4) + "m", "-cp", classpath,
                        ColdStartHarness.class.getName(), handler, eventType.getName(), event.toString(), function,
                        Integer.toString(memoryMb), prime ? "primed" : "cold");
                process.environment().clear();
                process.environment().putAll(env);
                process.redirectOutput(work.resolve(function + ".out").toFile());
                long start = System.nanoTime();
                Process child = process.start();
                String line = cold(child);
                double wall = (System.nanoTime() - start) / 1_000_000.0;
                if (!child.waitFor(60, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
                (prime ? primed : plain).add(wall, line.split(" ", 5));
            }
        }
        return new Run[] {plain, primed};
    }

    /** One row; the last two columns compare the wall and CPU medians with the hello-world baseline's. */
    private static void print(String function, double jarMb, Run[] runs, Run baseline) {
        Run plain = runs[0];
        String result = plain.result;
        System.out.printf(Locale.ROOT, "%-11s %7.2f %9.0f %9.0f %9.0f %9.0f %10.0f %8.0f %13s %7.1fx %7.1fx  %s%n",
                function, jarMb,
                Collections.min(plain.walls), median(plain.walls), Collections.max(plain.walls), median(plain.inits),
                median(plain.invokes), median(plain.cpus),
                runs[1].invokes.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", median(runs[1].invokes)),
                median(plain.walls) / median(baseline.walls), median(plain.cpus) / median(baseline.cpus),
                result.substring(0, Math.min(70, result.length())));
    }

    /** Reads the child's stderr until its COLD line; fails with the child's output if it dies first. */
    private static String cold(Process child) throws IOException {
        StringBuilder output = new StringBuilder();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                if (line.startsWith("COLD ")) {
                    return line;
                }
                output.append(line).append('\n');
            }
        }
        throw new IllegalStateException("Function JVM ended without handling the event:\n" + output);
    }

    private static Map<String, String> environment(FunctionSpec spec, ProvisionedResources resources) {
        Map<String, String> env = new LinkedHashMap<>(resources.environment());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA_TOOL_OPTIONS", BenNotification.JAVA_TOOL_OPTIONS);
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.logicalName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put(EnvVars.HTTPS_ONLY, "true");
        env.put(EnvVars.DECLARATION, SampleEvents.demoDeclarationJson());
        env.put(EnvVars.RECEIVER_SECRETS, SampleEvents.RECEIVER_SECRET);
        // Nothing listens here: reconcile finds no pending order, so it never calls the status API.
        env.put(EnvVars.STATUS_API_URL, "http://127.0.0.1:9");
        env.put(EnvVars.STATUS_API_TOKEN, "bench-token");
        return env;
    }

    /** The order the status API sample asks for, in the shape the brief fixes for system A's table. */
    private static void seedOrder(LocalAws aws, ProvisionedResources resources) {
        aws.dynamoDb().putItem(b -> b.tableName(resources.tableName(SampleEvents.DEMO_SOURCE)).item(Map.of(
                "orderId", AttributeValue.fromS(SampleEvents.ORDER_ID),
                "status", AttributeValue.fromS("PAID"),
                "version", AttributeValue.fromN("2"),
                "amount", AttributeValue.fromN("4999"),
                "currency", AttributeValue.fromS("EUR"),
                "updatedAt", AttributeValue.fromS("2026-11-29T22:00:00Z"))));
    }

    /** The function's sample event; the webhook is re-signed now so the receiver accepts its timestamp. */
    private static Path eventFile(FunctionSpec spec, Path work) throws Exception {
        String name = SAMPLE.get(spec.logicalName());
        if (name == null) {
            throw new IllegalStateException("No sample event for function " + spec.logicalName());
        }
        String json = SampleEvents.json(name);
        if (name.equals(SampleEvents.HTTP_RECEIVER_WEBHOOK)) {
            APIGatewayV2HTTPEvent event = SampleEvents.load(name, APIGatewayV2HTTPEvent.class);
            String oldTimestamp = event.getHeaders().get("webhook-timestamp");
            String oldSignature = event.getHeaders().get("webhook-signature");
            String now = Long.toString(Instant.now().getEpochSecond());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SampleEvents.RECEIVER_SECRET.substring(6)),
                    "HmacSHA256"));
            String signature = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(
                    (SampleEvents.EVENT_ID + "." + now + "." + event.getBody()).getBytes(StandardCharsets.UTF_8)));
            json = json.replace("\"" + oldTimestamp + "\"", "\"" + now + "\"").replace(oldSignature, signature);
        }
        Path file = work.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Figures of the runs of one mode (cold or primed). */
    private static final class Run {
        final List<Double> walls = new ArrayList<>();
        final List<Double> inits = new ArrayList<>();
        final List<Double> invokes = new ArrayList<>();
        final List<Double> cpus = new ArrayList<>();
        String result = "";

        void add(double wall, String[] cold) {
            walls.add(wall);
            inits.add(Double.parseDouble(cold[1]));
            invokes.add(Double.parseDouble(cold[2]));
            cpus.add(Double.parseDouble(cold[3]));
            result = cold.length > 4 ? cold[4] : "";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
