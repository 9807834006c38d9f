package dev.ben.core.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal HTTP/1.x response reader: status line, headers (bounded), and at most {@code maxBodyBytes} of the
 * body — never more is read from the network. Interim 1xx responses are skipped.
 */
public final class ResponseReader {

    /** Status and the headers Ben cares about (names lower-cased; repeated headers: the last one). */
    public record Head(int status, Map<String, String> headers) {
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    /** Up to {@code maxBodyBytes} of the (de-chunked) body; {@code truncated} when more was left unread. */
    public record Body(byte[] bytes, boolean truncated) {
    }

    private final InputStream in;
    private final int maxHeaderBytes;

    public ResponseReader(InputStream in, int maxHeaderBytes) {
        this.in = in;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** Reads the final (non-1xx) status line and headers. */
    public Head readHead() throws IOException {
        int budget = maxHeaderBytes;
        while (true) {
            String statusLine = readLine(budget);
            budget -= statusLine.length() + 2;
            int status = parseStatus(statusLine);
            Map<String, String> headers = new LinkedHashMap<>();
            while (true) {
                String line = readLine(budget);
                budget -= line.length() + 2;
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new ProtocolException("malformed response header line");
                }
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            if (status >= 100 && status < 200) {
                if (status == 101) {
                    throw new ProtocolException("unexpected 101 Switching Protocols");
                }
                continue; // interim response, e.g. 100 Continue
            }
            return new Head(status, headers);
        }
    }

    /**
     * Reads at most {@code maxBodyBytes} body bytes, honouring Content-Length and chunked encoding. A read error,
     * timeout or malformed framing ends the body early: what was read is returned, marked truncated.
     */
    public Body readBody(Head head, int maxBodyBytes) {
        if (head.status() == 204 || head.status() == 304) {
            return new Body(new byte[0], false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBodyBytes, 8192));
        try {
            return readBody(head, maxBodyBytes, out);
        } catch (IOException e) {
            return new Body(out.toByteArray(), true);
        }
    }

    private Body readBody(Head head, int maxBodyBytes, ByteArrayOutputStream out) throws IOException {
        boolean chunked = head.header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked");
        if (chunked) {
            return readChunked(out, maxBodyBytes);
        }
        long length = -1;
        String cl = head.header("content-length");
        if (!cl.isEmpty()) {
            try {
                length = Long.parseLong(cl);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad Content-Length");
            }
        }
        long want = length >= 0 ? Math.min(length, maxBodyBytes) : maxBodyBytes;
        copy(out, want);
        if (length >= 0) {
            return new Body(out.toByteArray(), length > out.size());
        }
        // Until EOF: truncated if we hit the cap and the stream still has data (we do not look further).
        return new Body(out.toByteArray(), out.size() >= maxBodyBytes && maxBodyBytes > 0 ? true : false);
    }

    private Body readChunked(ByteArrayOutputStream out, int maxBodyBytes) throws IOException {
        while (true) {
            String sizeLine = readLine(1024);
            int semi = sizeLine.indexOf(';');
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size");
            }
            if (size == 0) {
                return new Body(out.toByteArray(), false);
            }
            long room = maxBodyBytes - out.size();
            if (size > room) {
                copy(out, room);
                return new Body(out.toByteArray(), true);
            }
            copy(out, size);
            readLine(16); // CRLF after the chunk
        }
    }

    private void copy(ByteArrayOutputStream out, long n) throws IOException {
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                return; // EOF: the body ended early; keep what we have
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private String readLine(int budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed before the end of the response headers");
            }
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
            if (line.size() > budget) {
                throw new ProtocolException("response headers larger than " + maxHeaderBytes + " bytes");
            }
        }
    }

    private static int parseStatus(String line) throws ProtocolException {
        // HTTP/1.1 200 OK
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new ProtocolException("not an HTTP/1.x status line");
        }
        String code = line.substring(9, 12);
        if (!code.chars().allMatch(Character::isDigit) || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new ProtocolException("bad status code in status line");
        }
        return Integer.parseInt(code);
    }
}
