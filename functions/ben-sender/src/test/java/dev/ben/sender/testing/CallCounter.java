package dev.ben.sender.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts AWS API calls (one per SDK execution, retries excluded) by {@code Service.Operation}. */
public final class CallCounter implements ExecutionInterceptor {

    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String key = (service.equalsIgnoreCase("dynamodb") ? "DynamoDB" : service.equalsIgnoreCase("sqs") ? "Sqs"
                : service) + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        long items = switch (context.request()) {
            case software.amazon.awssdk.services.dynamodb.model.PutItemRequest r -> 1;
            case software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest r -> 1;
            case software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest r -> 1;
            case software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest r ->
                    r.requestItems().values().stream().mapToLong(java.util.List::size).sum();
            default -> 0;
        };
        if (items > 0) {
            calls.computeIfAbsent("DynamoDB.itemsWritten", k -> new AtomicLong()).addAndGet(items);
        }
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public void reset() {
        calls.clear();
    }
}
