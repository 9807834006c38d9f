package dev.ben.local.stack.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A minimal blocking HTTP/1.1 client for dynalite on loopback, over pooled keep-alive connections. It sends a
 * request as the layer received it - method, request target, headers except the connection-specific ones, body -
 * and returns status, headers and body as dynalite sent them. It does the I/O on the calling (virtual) thread,
 * so a forwarded request costs no thread hand-offs; {@code java.net.http.HttpClient} added noticeably more
 * latency per request (and would not send every method and header as received).
 */
final class DynaliteHttp implements AutoCloseable {

    /** Node closes idle keep-alive connections after 5 s; we stop reusing them a little earlier. */
    private static final long MAX_IDLE_NANOS = 4_000_000_000L;
    private static final int TIMEOUT_MILLIS = 60_000;

    private final InetSocketAddress address;
    private final String host;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    DynaliteHttp(String host, int port) {
        this.address = new InetSocketAddress(host, port);
        this.host = host + ":" + port;
    }

    LayerResponse send(LayerRequest request) throws IOException {
        byte[] head = head(request);
        boolean bodyless = request.method().equals("HEAD");
        Connection pooled = takeIdle();
        if (pooled != null) {
            try {
                return exchange(pooled, head, request.body(), bodyless);
            } catch (StaleConnectionException e) {
                pooled.closeQuietly(); // closed by the server while idle: nothing was processed, retry once
            }
        }
        Connection fresh = open();
        try {
            return exchange(fresh, head, request.body(), bodyless);
        } catch (StaleConnectionException e) {
            throw new IOException("dynalite closed the connection without answering", e);
        }
    }

    /** Request line and headers: the client's, without connection-specific ones; Host and Content-Length ours. */
    private byte[] head(LayerRequest request) {
        StringBuilder head = new StringBuilder(256).append(request.method()).append(' ').append(request.target())
                .append(" HTTP/1.1\r\n");
        if (Header.first(request.headers(), "Host") == null) {
            head.append("Host: ").append(host).append("\r\n");
        }
        for (Header header : request.headers()) {
            if (!header.connectionSpecific()) {
                head.append(header.name()).append(": ").append(header.value()).append("\r\n");
            }
        }
        head.append("Content-Length: ").append(request.body().length).append("\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1); // header bytes as the server decoded them
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

    private LayerResponse exchange(Connection connection, byte[] head, byte[] body, boolean bodyless)
            throws IOException {
        boolean anyResponseByte = false;
        try {
            connection.out.write(head);
            connection.out.write(body);
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
            Head response = readHead((char) first + readLine(in), in);
            while (response.status() >= 100 && response.status() < 200) { // interim (100 Continue): the answer follows
                response = readHead(readLine(in), in);
            }
            byte[] responseBody;
            boolean keepAlive = response.keepAlive();
            if (bodyless || response.status() == 204 || response.status() == 304) {
                responseBody = new byte[0];
            } else if (response.chunked()) {
                responseBody = readChunked(in);
            } else if (response.contentLength() >= 0) {
                responseBody = in.readNBytes(response.contentLength());
                if (responseBody.length != response.contentLength()) {
                    throw new EOFException("dynalite's response ended early");
                }
            } else {
                responseBody = in.readAllBytes();
                keepAlive = false;
            }
            if (keepAlive && !closed) {
                connection.lastUsed = System.nanoTime();
                idle.offerFirst(connection);
            } else {
                connection.closeQuietly();
            }
            return new LayerResponse(response.status(), response.headers(), responseBody);
        } catch (StaleConnectionException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            connection.closeQuietly();
            if (!anyResponseByte && e instanceof SocketException && connection.reused) {
                throw new StaleConnectionException();
            }
            throw e instanceof IOException io ? io : new IOException("bad response from dynalite", e);
        }
    }

    /** A response's status line and headers, with what the framing of its body needs. */
    private record Head(int status, List<Header> headers, int contentLength, boolean chunked, boolean keepAlive) {
    }

    private static Head readHead(String statusLine, InputStream in) throws IOException {
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("unexpected response from dynalite: " + statusLine);
        }
        List<Header> headers = new ArrayList<>();
        int contentLength = -1;
        boolean chunked = false;
        boolean keepAlive = true;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            Header header = new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            headers.add(header);
            if (header.is("Content-Length")) {
                contentLength = Integer.parseInt(header.value());
            } else if (header.is("Transfer-Encoding")) {
                chunked = header.value().toLowerCase(Locale.ROOT).contains("chunked");
            } else if (header.is("Connection")) {
                keepAlive = !header.value().equalsIgnoreCase("close");
            }
        }
        return new Head(Integer.parseInt(status[1]), headers, contentLength, chunked, keepAlive);
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
