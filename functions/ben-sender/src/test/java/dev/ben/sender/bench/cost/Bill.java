package dev.ben.sender.bench.cost;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run consumed and what it costs at {@link ListPrices}, divided by the notifications it carried: DynamoDB
 * write and read units, Lambda GB-seconds and requests, SQS requests.
 */
public record Bill(String scenario, int notifications, double writeUnits, double readUnits, double gbSeconds,
                   double lambdaRequests, double sqsRequests, Map<String, Double> writeUnitsByTarget) {

    public static Bill of(String scenario, int notifications, CapacityMeter meter, double gbSeconds,
                          double lambdaRequests) {
        return new Bill(scenario, notifications, sum(meter.writeUnits()), sum(meter.readUnits()), gbSeconds,
                lambdaRequests, sum(meter.sqsRequests()), meter.writeUnits());
    }

    public double dynamoDbDollars() {
        return writeUnits * ListPrices.DYNAMODB_WRU + readUnits * ListPrices.DYNAMODB_RRU;
    }

    public double lambdaDollars() {
        return gbSeconds * ListPrices.LAMBDA_GB_SECOND_ARM + lambdaRequests * ListPrices.LAMBDA_REQUEST;
    }

    public double sqsDollars() {
        return sqsRequests * ListPrices.SQS_REQUEST;
    }

    /** Dollars per million notifications. */
    public double perMillion() {
        return (dynamoDbDollars() + lambdaDollars() + sqsDollars()) / notifications * 1e6;
    }

    /** One line: units per notification and dollars per million, split by service. */
    public String line() {
        double n = notifications;
        return String.format("%-44s WRU %5.2f  RRU %5.2f  GB-s %.5f  λ req %.3f  SQS req %5.2f  → $%.2f/M "
                        + "(DynamoDB %.2f, Lambda %.2f, SQS %.2f)", scenario, writeUnits / n, readUnits / n,
                gbSeconds / n, lambdaRequests / n, sqsRequests / n, perMillion(), dynamoDbDollars() / n * 1e6,
                lambdaDollars() / n * 1e6, sqsDollars() / n * 1e6);
    }

    /** Write units per notification by table and index. */
    public Map<String, Double> writeUnitsPerNotification() {
        Map<String, Double> out = new LinkedHashMap<>();
        writeUnitsByTarget.forEach((k, v) -> out.put(k, Math.round(v / notifications * 100) / 100.0));
        return out;
    }

    private static double sum(Map<String, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
