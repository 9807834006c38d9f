package dev.ben.local.stack;

import java.net.URI;

/** The HTTP contract against bare dynalite: what the Streams layer has to pass through. */
class DynaliteHttpIT extends DynamoDbHttpContract {

    @Override
    URI endpoint() {
        return aws.dynaliteEndpoint().orElseThrow();
    }
}
