package dev.ben.core.bench;

import com.sun.net.httpserver.HttpServer;
import dev.ben.core.egress.AddressPolicy;
import dev.ben.core.egress.EgressGuard;
import dev.ben.core.http.HttpOutcome;
import dev.ben.core.http.HttpWebhookSender;
import dev.ben.core.http.SenderConfig;
import dev.ben.core.http.Signer;
import dev.ben.core.http.WebhookRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Fan-out of the core HTTP sender: N POSTs to a loopback receiver that answers after L ms, sent with
 * {@code sendAll} (virtual threads, bounded) versus one after another (the seed's loop), in the same run.
 *
 * <pre>
 * ./mvnw -B -o -q -pl functions/ben-core test-compile
 * java -cp functions/ben-core/target/classes:functions/ben-core/target/test-classes \
 *      dev.ben.core.bench.FanOutBenchmark [deliveries=100] [latencyMs=100] [concurrency=100]
 * </pre>
 */
public final class FanOutBenchmark {
    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 100;

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            try {
                Thread.sleep(latencyMs); // the simulated receiver's latency (benchmark server, not Ben code)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        Signer signer = (id, ts, body) -> Map.of("webhook-id", id, "webhook-timestamp", Long.toString(ts),
                "webhook-signature", "v1,AAAA");
        List<WebhookRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(new WebhookRequest(url, "evt_" + i, "{\"n\":" + i + "}", signer));
        }
        SenderConfig config = SenderConfig.defaults().withMaxConcurrency(concurrency)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
        try (HttpWebhookSender sender = new HttpWebhookSender(new EgressGuard(AddressPolicy.localDevelopment()),
                config, Clock.systemUTC())) {
            sender.sendAll(requests); // warm-up (JIT, sockets, virtual thread carriers)

            long t0 = System.nanoTime();
            List<HttpOutcome> parallel = sender.sendAll(requests);
            long parallelNs = System.nanoTime() - t0;

            long t1 = System.nanoTime();
            List<HttpOutcome> sequential = new ArrayList<>();
            for (WebhookRequest r : requests) {
                sequential.add(sender.send(r));
            }
            long sequentialNs = System.nanoTime() - t1;

            long okParallel = parallel.stream().filter(HttpOutcome::successful).count();
            long okSequential = sequential.stream().filter(HttpOutcome::successful).count();
            System.out.printf("deliveries=%d receiverLatency=%dms concurrency=%d%n", n, latencyMs, concurrency);
            System.out.printf("parallel   (sendAll): %8.1f ms  (%d/%d 2xx)%n", parallelNs / 1e6, okParallel, n);
            System.out.printf("sequential (loop)   : %8.1f ms  (%d/%d 2xx)%n", sequentialNs / 1e6, okSequential, n);
            System.out.printf("speed-up            : %8.1f x%n", (double) sequentialNs / parallelNs);
            List<Long> latencies = parallel.stream().map(o -> o.latency().toMillis()).sorted().toList();
            System.out.printf("parallel attempt latency ms: min %d, p50 %d, p90 %d, max %d%n", latencies.get(0),
                    latencies.get(latencies.size() / 2), latencies.get(latencies.size() * 9 / 10),
                    latencies.get(latencies.size() - 1));
        } finally {
            server.stop(0);
        }
    }
}
