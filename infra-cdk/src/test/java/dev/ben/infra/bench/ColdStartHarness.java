package dev.ben.infra.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Runs in a fresh JVM whose classpath is a function's shaded jar (plus the Lambda runtime's serialization
 * library): builds the handler with its public no-arg constructor (the Lambda init phase), deserialises one
 * sample event the way the runtime does and handles it. Prints one line: {@code COLD <init ms> <invoke ms> <process CPU ms> <result>}.
 *
 * <p>Arguments: handler class, event class, event file, function name, memory MB, and {@code primed} to run the
 * handlers' CRaC {@code beforeCheckpoint} priming inside the init phase (as SnapStart does before its snapshot).
 */
public final class ColdStartHarness {

    private ColdStartHarness() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        ClassLoader loader = ColdStartHarness.class.getClassLoader();
        RequestHandler handler = (RequestHandler) Class.forName(args[0], true, loader).getConstructor().newInstance();
        if (args.length > 5 && args[5].equals("primed")) {
            // What SnapStart snapshots: init plus the handlers' CRaC beforeCheckpoint priming. The invoke timed
            // below is then the first invoke after a restore (without the restore itself).
            // org.crac's global context cannot be driven by hand, so call the handler's hooks (each handler is the
            // Resource it registers).
            if (!(handler instanceof org.crac.Resource resource)) {
                throw new IllegalStateException(args[0] + " is not a CRaC Resource: no priming to run");
            }
            resource.beforeCheckpoint(null);
            resource.afterRestore(null);
        }
        long initialised = System.nanoTime();

        Class<?> eventType = Class.forName(args[1], true, loader);
        PojoSerializer<?> serializer = LambdaEventSerializers.serializerFor(eventType, loader);
        Object event;
        try (InputStream in = Files.newInputStream(Path.of(args[2]))) {
            event = serializer.fromJson(in);
        }
        Object result = handler.handleRequest(event, new BenchContext(args[3], Integer.parseInt(args[4])));
        long handled = System.nanoTime();
        long cpuMillis = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);

        String summary = String.valueOf(result).replaceAll("\\s+", " ");
        System.out.flush();
        System.err.println("COLD " + (initialised - start) / 1_000_000.0 + " " + (handled - initialised) / 1_000_000.0
                + " " + cpuMillis + " " + summary.substring(0, Math.min(160, summary.length())));
    }

    /** The Context the Lambda runtime would pass (ids, limits, a logger to stdout). */
    private record BenchContext(String functionName, int memoryLimitInMB) implements Context {
        @Override public String getAwsRequestId() { return UUID.randomUUID().toString(); }
        @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
        @Override public String getLogStreamName() { return "bench"; }
        @Override public String getFunctionName() { return functionName; }
        @Override public String getFunctionVersion() { return "1"; }
        @Override public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName + ":live";
        }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 60_000; }
        @Override public int getMemoryLimitInMB() { return memoryLimitInMB; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.out.println(message); }
                @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
