package dev.ben.cli.internal.api;

import java.net.URI;
import java.util.Map;

/** The headers that authenticate one management API request: a bearer token locally, SigV4 in AWS. */
public interface RequestAuthorizer {

    /**
     * @param body the exact bytes sent (empty for none): SigV4 signs their hash
     * @return headers to add; never {@code Host} or {@code Content-Length}, which the HTTP client sets itself
     */
    Map<String, String> headers(String method, URI uri, byte[] body);
}
