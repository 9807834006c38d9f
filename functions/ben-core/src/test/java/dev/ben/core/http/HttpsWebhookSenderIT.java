package dev.ben.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.ben.core.egress.AddressPolicy;
import dev.ben.core.egress.EgressGuard;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS over a socket connected to the validated address: SNI and certificate checks still use the URL's host
 * name. A real HTTPS server with a certificate for {@code receiver.test} only (made with the JDK's keytool).
 */
class HttpsWebhookSenderIT {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Signer SIGNER = (id, ts, body) -> Map.of("webhook-id", id);

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static SSLContext clientTls;
    private static final AtomicReference<String> sniSeen = new AtomicReference<>();
    private static final AtomicInteger handled = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=receiver.test", "-ext", "SAN=dns:receiver.test", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("receiver", ks.getCertificate("receiver"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = serverTls.getDefaultSSLParameters();
                p.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        sniSeen.set(((SNIHostName) name).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(p);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", ex -> {
            handled.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void reset() {
        sniSeen.set(null);
        handled.set(0);
    }

    private HttpOutcome send(String host) {
        EgressGuard guard = new EgressGuard(AddressPolicy.localDevelopment(),
                h -> List.of(InetAddress.getLoopbackAddress()));
        try (HttpWebhookSender sender = new HttpWebhookSender(guard,
                SenderConfig.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)), Clock.systemUTC(),
                clientTls)) {
            return sender.send(new WebhookRequest("https://" + host + ":" + server.getAddress().getPort() + "/hook",
                    "evt_tls", "{}", SIGNER));
        }
    }

    @Test
    void https_connectsToValidatedAddress_withSniAndCertificateOfTheUrlHost() {
        HttpOutcome outcome = send("receiver.test");

        assertThat(outcome.statusCode()).as(outcome.summary()).isEqualTo(200);
        assertThat(sniSeen.get()).isEqualTo("receiver.test");
        assertThat(handled).hasValue(1);
    }

    @Test
    void https_certificateNotForTheUrlHost_isTlsFailure() {
        HttpOutcome outcome = send("other.test");

        assertThat(outcome.errorKind()).isEqualTo(ErrorKind.TLS);
        assertThat(outcome.errorDetail()).containsIgnoringCase("subject alternative").contains("other.test");
        assertThat(handled).hasValue(0);
    }

    @Test
    void https_byIpLiteral_isCheckedAgainstTheIpNotTheName() {
        HttpOutcome outcome = send("127.0.0.1");

        assertThat(outcome.errorKind()).isEqualTo(ErrorKind.TLS);
        assertThat(outcome.errorDetail()).containsIgnoringCase("subject alternative").contains("127.0.0.1");
        assertThat(handled).hasValue(0);
    }

    @Test
    void https_byIpLiteral_sendsNoServerName() {
        send("127.0.0.1");

        assertThat(sniSeen.get()).isNull();
    }

    @Test
    void https_byIpv6Literal_sendsNoServerName_andChecksTheCertificateAgainstTheAddress() {
        HttpOutcome outcome = send("[::1]");

        assertThat(outcome.errorKind()).as(outcome.summary()).isEqualTo(ErrorKind.TLS);
        assertThat(outcome.errorDetail()).containsIgnoringCase("subject alternative");
        assertThat(sniSeen.get()).isNull();
        assertThat(handled).hasValue(0);
    }

    @Test
    void https_hostNameWithTheRootDot_sendsTheServerNameWithoutIt() {
        send("receiver.test.");

        assertThat(sniSeen.get()).isEqualTo("receiver.test");
    }
}
