package dev.ben.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.http.internal.ResponseReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

    private static ResponseReader reader(String raw) {
        return new ResponseReader(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), 1024);
    }

    @Test
    void head_parsesStatusAndHeadersCaseInsensitively() throws IOException {
        ResponseReader.Head head = reader("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\nX-A:b\r\n\r\n")
                .readHead();

        assertThat(head.status()).isEqualTo(429);
        assertThat(head.header("retry-after")).isEqualTo("30");
        assertThat(head.header("RETRY-AFTER")).isEqualTo("30");
        assertThat(head.header("x-a")).isEqualTo("b");
        assertThat(head.header("location")).isEmpty();
    }

    @Test
    void head_statusLineWithoutReasonAndBareLf_isAccepted() throws IOException {
        assertThat(reader("HTTP/1.0 200\n\n").readHead().status()).isEqualTo(200);
    }

    @Test
    void head_skipsInterimResponses() throws IOException {
        assertThat(reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
                + "HTTP/1.1 201 Created\r\n\r\n").readHead().status()).isEqualTo(201);
    }

    @Test
    void head_malformed_isProtocolException() {
        assertThatThrownBy(() -> reader("HTTP/2 200\r\n\r\n").readHead()).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> reader("HTTP/1.1 2xx OK\r\n\r\n").readHead()).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nno colon\r\n\r\n").readHead())
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> reader("HTTP/1.1 101 Switching\r\n\r\n").readHead())
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nX: " + "a".repeat(2000) + "\r\n\r\n").readHead())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("1024");
    }

    @Test
    void head_truncated_isEof() {
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nX: y\r\n").readHead()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader("").readHead()).isInstanceOf(EOFException.class);
    }

    @Test
    void body_contentLength_cappedAndMarkedTruncated() throws IOException {
        ResponseReader r = reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
        ResponseReader.Body body = r.readBody(r.readHead(), 4);

        assertThat(new String(body.bytes(), StandardCharsets.US_ASCII)).isEqualTo("0123");
        assertThat(body.truncated()).isTrue();
    }

    @Test
    void body_contentLength_fullyRead() throws IOException {
        ResponseReader r = reader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        ResponseReader.Body body = r.readBody(r.readHead(), 100);

        assertThat(new String(body.bytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(body.truncated()).isFalse();
    }

    @Test
    void body_chunked_decodedAndCapped() throws IOException {
        String raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n";
        ResponseReader full = reader(raw);
        ResponseReader capped = reader(raw);

        ResponseReader.Body all = full.readBody(full.readHead(), 100);
        ResponseReader.Body part = capped.readBody(capped.readHead(), 5);

        assertThat(new String(all.bytes(), StandardCharsets.US_ASCII)).isEqualTo("abcdefg");
        assertThat(all.truncated()).isFalse();
        assertThat(new String(part.bytes(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
        assertThat(part.truncated()).isTrue();
    }

    @Test
    void body_untilEof_andEarlyEofKeepsWhatArrived() throws IOException {
        ResponseReader eof = reader("HTTP/1.0 200 OK\r\n\r\nstream");
        ResponseReader early = reader("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
        ResponseReader badChunk = reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n");

        assertThat(new String(eof.readBody(eof.readHead(), 100).bytes(), StandardCharsets.US_ASCII)).isEqualTo("stream");
        ResponseReader.Body shortBody = early.readBody(early.readHead(), 1000);
        assertThat(new String(shortBody.bytes(), StandardCharsets.US_ASCII)).isEqualTo("short");
        assertThat(shortBody.truncated()).isTrue();
        ResponseReader.Body bad = badChunk.readBody(badChunk.readHead(), 1000);
        assertThat(new String(bad.bytes(), StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(bad.truncated()).isTrue();
    }

    @Test
    void body_204_isEmpty() throws IOException {
        ResponseReader r = reader("HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n");

        assertThat(r.readBody(r.readHead(), 100).bytes()).isEmpty();
    }
}
