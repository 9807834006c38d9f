package dev.ben.local.stack.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/** An HTTP response: dynalite's as it came, or one the layer writes itself with AWS-shaped headers. */
public record LayerResponse(int status, List<Header> headers, byte[] body) {

    static final String AMZ_JSON = "application/x-amz-json-1.0";
    static final String JSON = "application/json";
    private static final String REQUEST_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public LayerResponse {
        headers = List.copyOf(headers);
    }

    boolean ok() {
        return status == 200;
    }

    /**
     * An answer of the layer's own, headed as dynalite and DynamoDB head theirs: {@code x-amzn-RequestId} (52
     * characters {@code [0-9A-Z]}), {@code x-amz-crc32} of the body, the request's JSON content type
     * ({@code application/x-amz-json-1.0} when the request said so, else {@code application/json}) and, for a
     * request with an {@code Origin}, {@code Access-Control-Allow-Origin: *}.
     */
    static LayerResponse own(int status, byte[] body, LayerRequest request) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("x-amzn-RequestId", requestId()));
        if (request.header("Origin") != null) {
            headers.add(new Header("Access-Control-Allow-Origin", "*"));
        }
        headers.add(new Header("x-amz-crc32", crc32(body)));
        headers.add(new Header("Content-Type", AMZ_JSON.equals(request.mediaType()) ? AMZ_JSON : JSON));
        return new LayerResponse(status, headers, body);
    }

    static LayerResponse own(AwsException error, LayerRequest request) {
        return own(error.status(), Requests.write(error.toJson()), request);
    }

    /** dynalite's answer with the body the layer completed (the stream of a table): headers kept, CRC32 redone. */
    LayerResponse withBody(byte[] newBody) {
        List<Header> newHeaders = new ArrayList<>(headers.size());
        for (Header header : headers) {
            newHeaders.add(header.is("x-amz-crc32") ? new Header(header.name(), crc32(newBody)) : header);
        }
        return new LayerResponse(status, newHeaders, newBody);
    }

    /** 413 with no body and no other header, as dynalite (and DynamoDB) answer a request body over 16 MB. */
    static LayerResponse payloadTooLarge() {
        return new LayerResponse(413, List.of(), new byte[0]);
    }

    static String crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return Long.toString(crc.getValue());
    }

    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[52];
        for (int i = 0; i < id.length; i++) {
            id[i] = REQUEST_ID_ALPHABET.charAt(random.nextInt(REQUEST_ID_ALPHABET.length()));
        }
        return new String(id);
    }
}
