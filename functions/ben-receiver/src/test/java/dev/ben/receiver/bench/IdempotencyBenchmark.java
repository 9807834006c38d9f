package dev.ben.receiver.bench;

import dev.ben.core.webhooks.SignedHeaders;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.receiver.kit.Disposition;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookReceiver;
import dev.ben.receiver.kit.WebhookResponse;
import dev.ben.receiver.orders.OrderState;
import dev.ben.receiver.orders.internal.DynamoDbOrderStore;
import dev.ben.receiver.webhook.OrderPaidWebhook;
import dev.ben.settings.BenSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark, not a test (no assertions on time; the name matches no test pattern, so only an explicit
 * {@code -Dit.test=IdempotencyBenchmark} runs it). On the local stack (dynalite) it measures:
 * <ol>
 *   <li>plain apply: the version-guarded conditional update of B's order (1 DynamoDB call);</li>
 *   <li>idempotent apply: the same through {@link IdempotentExecutor} (claim, apply, complete: 3 calls);</li>
 *   <li>replayed duplicate: a completed key answered from the store (a failed conditional put; dynalite does not
 *       return the old item with it, so the kit reads it with a consistent GetItem: 2 calls locally, 1 in AWS);</li>
 *   <li>the whole webhook path: signature verification + idempotent apply of an {@code order.paid} body.</li>
 * </ol>
 * Sequential runs give the latency (p50/p90/p99), concurrent runs the throughput. Sizes: -Dbench.n (default 400),
 * -Dbench.threads (default 16).
 */
@ExtendWith(LocalAwsExtension.class)
class IdempotencyBenchmark {

    private static final int N = Integer.getInteger("bench.n", 400);
    private static final int THREADS = Integer.getInteger("bench.threads", 16);

    @Test
    void run(LocalAws aws) throws Exception {
        ProvisionedResources resources = aws.provision(BenSettings.defaults(), "bench-" + System.nanoTime() + "-");
        DynamoDbOrderStore orders = new DynamoDbOrderStore(aws.dynamoDb(),
                resources.tableName(BenSettings.RECEIVER_ORDERS_TABLE), Clock.systemUTC());
        IdempotentExecutor executor = IdempotentExecutor.builder().dynamoDb(aws.dynamoDb(),
                resources.tableName(BenSettings.RECEIVER_IDEMPOTENCY_TABLE)).build();
        WebhookSecret secret = WebhookSecret.generate();
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded()).executor(executor).build();
        OrderPaidWebhook orderPaid = new OrderPaidWebhook(orders);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String now = Instant.now().toString();

        IntFunction<Runnable> plain = i -> () -> orders.apply(new OrderState("p-" + run + "-" + i, "PAID", 2, now));
        IntFunction<Runnable> idempotent = i -> () -> {
            OrderState state = new OrderState("i-" + run + "-" + i, "PAID", 2, now);
            executor.execute("bench:" + state.orderId(), () -> {
                orders.apply(state);
                return WebhookResponse.noContent();
            });
        };
        IntFunction<Runnable> replay = i -> () -> {
            if (executor.execute("bench:i-" + run + "-seq-" + i, WebhookResponse::noContent).disposition()
                    != Disposition.REPLAYED) {
                throw new IllegalStateException("expected a replay");
            }
        };
        IntFunction<Runnable> webhook = i -> {
            String id = "evt_" + run + "_" + i;
            String body = "{\"type\":\"order.paid\",\"id\":\"" + id + "\",\"timestamp\":\"" + now
                    + "\",\"data\":{\"orderId\":\"w-" + run + "-" + i + "\",\"status\":\"PAID\",\"version\":2}}";
            return () -> {
                SignedHeaders signed = WebhookSigner.of(secret).sign(id, body);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                if (receiver.handle(signed.asMap(), bytes, orderPaid).disposition() != Disposition.EXECUTED) {
                    throw new IllegalStateException("expected an execution");
                }
            };
        };

        // warm-up: JIT, connection pool, table creation effects
        sequential("warm-up", 100, i -> plain.apply(1_000_000 + i));
        sequential("warm-up", 100, i -> idempotent.apply(1_000_000 + i));

        System.out.printf("%nIdempotency benchmark on the local stack (dynalite), n=%d per case, %d threads for"
                + " throughput, %d cores%n", N, THREADS, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-34s %10s %10s %10s %10s %12s%n", "case", "p50 ms", "p90 ms", "p99 ms", "mean ms", "ops/s");
        double[] plainLat = sequential("plain apply (1 call)", N, plain);
        double[] idemLat = sequential("idempotent apply (3 calls)", N, i -> idempotent.apply(N * 10 + i));
        // complete N keys so that the next case replays them
        sequential("(prepare replays)", N, i -> () -> executor.execute("bench:i-" + run + "-seq-" + i,
                WebhookResponse::noContent));
        double[] replayLat = sequential("replayed duplicate (2 calls local)", N, replay);
        double[] hookLat = sequential("webhook: verify + idempotent apply", N, webhook);
        print("plain apply (1 call)", plainLat, throughput(N, i -> plain.apply(N * 20 + i)));
        print("idempotent apply (3 calls)", idemLat, throughput(N, i -> idempotent.apply(N * 30 + i)));
        print("replayed duplicate (2 calls local)", replayLat, throughput(N, replay));
        print("webhook: verify + idempotent apply", hookLat, throughput(N, i -> webhook.apply(N * 40 + i)));
        System.out.printf("added by idempotency: p50 %+.2f ms, mean %+.2f ms per apply; throughput x%.2f%n",
                pct(idemLat, 50) - pct(plainLat, 50), mean(idemLat) - mean(plainLat),
                lastIdem / lastPlain);
    }

    private double lastPlain;
    private double lastIdem;

    private void print(String name, double[] latencies, double opsPerSecond) {
        if (name.startsWith("plain")) {
            lastPlain = opsPerSecond;
        } else if (name.startsWith("idempotent")) {
            lastIdem = opsPerSecond;
        }
        System.out.printf("%-34s %10.2f %10.2f %10.2f %10.2f %12.0f%n", name, pct(latencies, 50), pct(latencies, 90),
                pct(latencies, 99), mean(latencies), opsPerSecond);
    }

    private static double[] sequential(String name, int n, IntFunction<Runnable> op) {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            Runnable r = op.apply(i);
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double throughput(int n, IntFunction<Runnable> op) throws Exception {
        List<Runnable> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(op.apply(i));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            long t0 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable r : ops) {
                futures.add(pool.submit(r));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }
}
