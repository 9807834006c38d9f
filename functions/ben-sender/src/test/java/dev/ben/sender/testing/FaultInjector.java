package dev.ben.sender.testing;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * An SDK interceptor that fails chosen calls with a probability, before they are sent: DynamoDB calls fail as
 * throttling ({@code ProvisionedThroughputExceededException}, as after the SDK's own retries), SQS calls with a 500.
 * Keys are {@code Service.Operation}, e.g. {@code DynamoDB.UpdateItem}, {@code Sqs.SendMessage}. Counts injections.
 */
public final class FaultInjector implements ExecutionInterceptor {

    private final Map<String, Double> rates;
    private final Random random;
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
    private volatile boolean enabled = true;

    public FaultInjector(Map<String, Double> rates, long seed) {
        this.rates = Map.copyOf(rates);
        this.random = new Random(seed);
    }

    public void enabled(boolean on) {
        this.enabled = on;
    }

    public Map<String, Long> injected() {
        Map<String, Long> out = new java.util.TreeMap<>();
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String key = (service.equalsIgnoreCase("dynamodb") ? "DynamoDB" : service.equalsIgnoreCase("sqs") ? "Sqs"
                : service) + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Double rate = rates.get(key);
        boolean fail;
        synchronized (random) {
            fail = enabled && rate != null && random.nextDouble() < rate;
        }
        if (!fail) {
            return;
        }
        injected.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        SdkRequest request = context.request();
        if (key.startsWith("DynamoDB")) {
            throw ProvisionedThroughputExceededException.builder().statusCode(400)
                    .message("injected throttling on " + key + " (" + request.getClass().getSimpleName() + ")").build();
        }
        throw SqsException.builder().statusCode(500).message("injected failure on " + key).build();
    }
}
