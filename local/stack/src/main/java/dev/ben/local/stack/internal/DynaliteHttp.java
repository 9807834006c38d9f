package dev.ben.local.stack.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A minimal blocking HTTP/1.1 client for the one thing the layer needs: POSTing JSON to dynalite on loopback
 * over pooled keep-alive connections. It does the I/O on the calling (virtual) thread, so a forwarded request
 * costs no thread hand-offs; {@code java.net.http.HttpClient} added noticeably more latency per request.
 */
final class DynaliteHttp implements AutoCloseable {

    /** Node closes idle keep-alive connections after 5 s; we stop reusing them a little earlier. */
    private static final long MAX_IDLE_NANOS = 4_000_000_000L;
    private static final int TIMEOUT_MILLIS = 60_000;

    private final InetSocketAddress address;
    private final byte[] hostHeader;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    DynaliteHttp(String host, int port) {
        this.address = new InetSocketAddress(host, port);
        this.hostHeader = ("Host: " + host + ":" + port + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    record Response(int status, byte[] body) {
    }

    Response post(Map<String, String> headers, byte[] body) throws IOException {
        byte[] request = request(headers, body);
        Connection pooled = takeIdle();
        if (pooled != null) {
            try {
                return exchange(pooled, request);
            } catch (StaleConnectionException e) {
                pooled.closeQuietly(); // closed by the server while idle: nothing was processed, retry once
            }
        }
        Connection fresh = open();
        try {
            return exchange(fresh, request);
        } catch (StaleConnectionException e) {
            throw new IOException("dynalite closed the connection without answering", e);
        }
    }

    private byte[] request(Map<String, String> headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + body.length);
        out.writeBytes("POST / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(hostHeader);
        headers.forEach((name, value) -> out.writeBytes((name + ": " + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private Connection takeIdle() {
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            if (System.nanoTime() - connection.lastUsed < MAX_IDLE_NANOS && !connection.socket.isClosed()) {
                connection.reused = true;
                return connection;
            }
            connection.closeQuietly();
        }
        return null;
    }

    private Connection open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(address, 5_000);
            return new Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private Response exchange(Connection connection, byte[] request) throws IOException {
        boolean anyResponseByte = false;
        try {
            connection.out.write(request);
            connection.out.flush();
            InputStream in = connection.in;
            int first = in.read();
            if (first < 0) {
                if (connection.reused) {
                    throw new StaleConnectionException();
                }
                throw new EOFException("dynalite closed the connection without answering");
            }
            anyResponseByte = true;
            String statusLine = (char) first + readLine(in);
            String[] status = statusLine.split(" ", 3);
            if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
                throw new IOException("unexpected response from dynalite: " + statusLine);
            }
            int code = Integer.parseInt(status[1]);
            int contentLength = -1;
            boolean chunked = false;
            boolean keepAlive = true;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> contentLength = Integer.parseInt(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            byte[] body;
            if (chunked) {
                body = readChunked(in);
            } else if (contentLength >= 0) {
                body = in.readNBytes(contentLength);
                if (body.length != contentLength) {
                    throw new EOFException("dynalite's response ended early");
                }
            } else {
                body = in.readAllBytes();
                keepAlive = false;
            }
            if (keepAlive && !closed) {
                connection.lastUsed = System.nanoTime();
                idle.offerFirst(connection);
            } else {
                connection.closeQuietly();
            }
            return new Response(code, body);
        } catch (StaleConnectionException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            connection.closeQuietly();
            if (!anyResponseByte && e instanceof java.net.SocketException && connection.reused) {
                throw new StaleConnectionException();
            }
            throw e instanceof IOException io ? io : new IOException("bad response from dynalite", e);
        }
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("dynalite's chunked response ended early");
            }
            body.writeBytes(chunk);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("dynalite closed the connection mid-response");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        closed = true;
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            connection.closeQuietly();
        }
    }

    private static final class StaleConnectionException extends IOException {
        StaleConnectionException() {
            super("stale keep-alive connection", null);
        }
    }

    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        long lastUsed;
        boolean reused;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = socket.getOutputStream();
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
