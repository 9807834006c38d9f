package dev.ben.local.stack.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ (SQS) embedded in this JVM on a free loopback port. */
public final class ElasticMq implements AutoCloseable {

    /**
     * Headers stay raw: with modeled parsing on, Pekko HTTP fails to model every SDK request's SigV4 {@code
     * Authorization} header and re-runs its parser with tracing to word the (ignored) error: 16,000 exceptions in a
     * 140 s profile of the isolation benchmark. ElasticMQ reads only headers that are parsed either way.
     */
    private static final Config RAW_HEADERS = ConfigFactory.parseString(
            "pekko.http.parsing.modeled-header-parsing = off\npekko.http.parsing.illegal-header-warnings = off");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final SQSRestServer server;
    private final ActorSystem system;
    private final URI endpoint;

    private ElasticMq(SQSRestServer server, ActorSystem system, URI endpoint) {
        this.server = server;
        this.system = system;
        this.endpoint = endpoint;
    }

    public static ElasticMq start(String region, String accountId) {
        ActorSystem system = ActorSystem.create("elasticmq", RAW_HEADERS.withFallback(ConfigFactory.load()));
        SQSRestServer server = SQSRestServerBuilder.withActorSystem(system)
                .withDynamicPort()
                .withInterface("127.0.0.1")
                .withAWSRegion(region)
                .withAWSAccountId(accountId)
                .start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMq(server, system, URI.create("http://127.0.0.1:" + port));
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stopAndWait();
        try {
            // a provided actor system is the caller's to stop
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ElasticMQ's actor system did not stop in " + STOP_TIMEOUT, e);
        }
    }
}
