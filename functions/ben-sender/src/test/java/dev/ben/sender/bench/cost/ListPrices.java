package dev.ben.sender.bench.cost;

/**
 * AWS list prices, us-east-1, as published on the services' pricing pages (read 2026-12-01; DynamoDB's on-demand
 * prices are those since the cut of 2024-11-01). Free tiers are left out: they do not scale with traffic.
 */
public final class ListPrices {

    public static final String AS_OF = "2026-12-01, us-east-1, list prices, no free tier";

    /** DynamoDB on-demand, per write request unit. */
    public static final double DYNAMODB_WRU = 0.625 / 1e6;
    /** DynamoDB on-demand, per read request unit. */
    public static final double DYNAMODB_RRU = 0.125 / 1e6;
    /** Lambda arm64 (what CDK and SAM deploy), per GB-second. */
    public static final double LAMBDA_GB_SECOND_ARM = 0.0000133334;
    /** Lambda, per request. */
    public static final double LAMBDA_REQUEST = 0.20 / 1e6;
    /** SQS standard queue, per request (64 KB chunk). */
    public static final double SQS_REQUEST = 0.40 / 1e6;
    /** EventBridge Pipes, per request (64 KB chunk) entering the pipe after filtering. */
    public static final double PIPES_REQUEST = 0.40 / 1e6;
    /** EventBridge API destinations, per invocation. */
    public static final double API_DESTINATION_INVOCATION = 0.20 / 1e6;

    private ListPrices() {
    }
}
