package dev.ben.admin.internal;

import dev.ben.admin.DeadLetters;
import dev.ben.admin.Stats;
import dev.ben.admin.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Statistics (per tenant and stack-wide) and the dead-letter queue (operator-wide: inspect, redrive). */
public final class OperatorApi {

    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    private static final int TOP_ENDPOINTS = 10;
    private static final int MAX_INSPECT = 100;
    private static final int MAX_REDRIVE = 100;

    private final Stats stats;
    private final DeadLetters deadLetters;
    private final Clock clock;

    public OperatorApi(Stats stats, DeadLetters deadLetters, Clock clock) {
        this.stats = stats;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    public ApiResponse tenantStats(ApiRequest request) {
        TenantScope scope = TenantScope.of(request);
        return ApiResponse.json(200, stats.compute(since(request), TOP_ENDPOINTS, scope.tenantId()));
    }

    public ApiResponse allStats(ApiRequest request) {
        return ApiResponse.json(200, stats.compute(since(request), TOP_ENDPOINTS, null));
    }

    public ApiResponse inspectDeadLetters(ApiRequest request) {
        int max = request.queryParameter("max").map(m -> bounded("max", m, MAX_INSPECT)).orElse(20);
        return ApiResponse.json(200, deadLetters.inspect(max));
    }

    public ApiResponse redriveDeadLetters(ApiRequest request) {
        Body body = Body.of(request, true, Set.of("limit", "dryRun"));
        int limit = body.integer("limit").orElse(50);
        if (limit < 1 || limit > MAX_REDRIVE) {
            throw ApiException.invalid("limit", "limit must be 1 to " + MAX_REDRIVE + " messages per call");
        }
        return ApiResponse.json(200, deadLetters.redrive(limit, body.bool("dryRun").orElse(false)));
    }

    private Instant since(ApiRequest request) {
        Instant now = clock.instant();
        return request.queryParameter("since").map(s -> Times.parseSince(s, now)).orElse(now.minus(DEFAULT_WINDOW));
    }

    private static int bounded(String field, String text, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw ApiException.invalid(field, field + " must be an integer from 1 to " + max + ", got " + text);
    }
}
