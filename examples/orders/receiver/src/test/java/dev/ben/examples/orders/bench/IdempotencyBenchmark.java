package dev.ben.examples.orders.bench;

import dev.ben.core.webhooks.SignedHeaders;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.internal.DynamoDbOrderStore;
import dev.ben.examples.orders.webhook.OrderPaidWebhook;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.receiver.kit.Disposition;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookReceiver;
import dev.ben.receiver.kit.WebhookResponse;
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
 * Latency: the cases interleaved one operation at a time, so each sees the same load; throughput: each case alone
 * on a thread pool. Sizes: -Dbench.n (default 400),
 * -Dbench.threads (default 16).
 */
@ExtendWith(LocalAwsExtension.class)
class IdempotencyBenchmark {

    private static final int N = Integer.getInteger("bench.n", 400);
    private static final int THREADS = Integer.getInteger("bench.threads", 16);

    @Test
    void run(LocalAws aws) throws Exception {
        ProvisionedResources resources = aws.provision(OrdersExample.settings(), "bench-" + System.nanoTime() + "-");
        DynamoDbOrderStore orders = new DynamoDbOrderStore(aws.dynamoDb(),
                resources.tableName(OrdersExample.RECEIVER_ORDERS_TABLE), Clock.systemUTC());
        IdempotentExecutor executor = IdempotentExecutor.builder().scope("bench").dynamoDb(aws.dynamoDb(),
                resources.tableName(OrdersExample.RECEIVER_IDEMPOTENCY_TABLE)).build();
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

        // complete N keys so that the replay case finds them
        for (int i = 0; i < N; i++) {
            executor.execute("bench:i-" + run + "-seq-" + i, WebhookResponse::noContent);
        }

        System.out.printf("%nIdempotency benchmark on the local stack (dynalite), n=%d per case, %d threads for"
                + " throughput, %d cores%n", N, THREADS, Runtime.getRuntime().availableProcessors());
        System.out.println("latency: the four cases interleaved operation by operation (same load for each);"
                + " throughput: each case alone, " + THREADS + " threads");
        System.out.printf("%-34s %10s %10s %10s %10s %12s%n", "case", "p50 ms", "p90 ms", "p99 ms", "mean ms", "ops/s");
        List<IntFunction<Runnable>> cases = List.of(plain, i -> idempotent.apply(N * 10 + i), replay, webhook);
        double[][] latencies = interleaved(N, cases);
        String[] names = {"plain apply (1 call)", "idempotent apply (3 calls)", "replayed duplicate (2 calls local)",
                "webhook: verify + idempotent apply"};
        double[] ops = {throughput(N, i -> plain.apply(N * 20 + i)), throughput(N, i -> idempotent.apply(N * 30 + i)),
                throughput(N, replay), throughput(N, i -> webhook.apply(N * 40 + i))};
        for (int c = 0; c < cases.size(); c++) {
            System.out.printf("%-34s %10.2f %10.2f %10.2f %10.2f %12.0f%n", names[c], pct(latencies[c], 50),
                    pct(latencies[c], 90), pct(latencies[c], 99), mean(latencies[c]), ops[c]);
        }
        System.out.printf("added by idempotency: p50 %+.2f ms, mean %+.2f ms per apply; throughput x%.2f of plain%n",
                pct(latencies[1], 50) - pct(latencies[0], 50), mean(latencies[1]) - mean(latencies[0]),
                ops[1] / ops[0]);
    }

    private static double[][] interleaved(int n, List<IntFunction<Runnable>> cases) {
        double[][] ms = new double[cases.size()][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cases.size(); c++) {
                Runnable r = cases.get(c).apply(i);
                long t0 = System.nanoTime();
                r.run();
                ms[c][i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        for (double[] row : ms) {
            Arrays.sort(row);
        }
        return ms;
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
