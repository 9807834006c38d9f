package dev.ben.admin.internal;

import dev.ben.admin.DeliveryQueries;
import dev.ben.admin.Replayer;
import dev.ben.admin.Times;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.sender.internal.AttemptLog;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /v1/tenants/{tenantId}/deliveries}: list with filters, read one with its attempts, replay one. A delivery
 * of another tenant is answered like an unknown one (404).
 */
public final class DeliveriesApi {

    private static final Pattern DELIVERY_ID = Pattern.compile("dlv_[A-Za-z0-9_-]{10,64}");

    private final DeliveryStore deliveries;
    private final AttemptLog attempts;
    private final DeliveryQueries queries;
    private final Replayer replayer;
    private final Clock clock;

    public DeliveriesApi(DeliveryStore deliveries, AttemptLog attempts, DeliveryQueries queries, Replayer replayer,
                         Clock clock) {
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.queries = queries;
        this.replayer = replayer;
        this.clock = clock;
    }

    public ApiResponse list(ApiRequest request) {
        TenantScope scope = TenantScope.of(request);
        Paging paging = Paging.of(request, "deliveryId");
        DeliveryStatus status = request.queryParameter("status").map(DeliveriesApi::status).orElse(null);
        Instant since = request.queryParameter("since").map(s -> Times.parseSince(s, clock.instant())).orElse(null);
        var filter = new DeliveryQueries.Filter(request.queryParameter("endpointId").orElse(null), status,
                request.queryParameter("eventType").orElse(null), since, scope.tenantId());
        DeliveryQueries.Result result = queries.list(filter, paging.limit(), paging.cursor());
        return ApiResponse.json(200, Paging.page(result.items().stream().map(ApiViews::delivery).toList(),
                result.next(), Map.of()));
    }

    public ApiResponse get(ApiRequest request) {
        StoredDelivery stored = owned(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("delivery", ApiViews.delivery(stored));
        body.put("attemptHistory", attempts.list(stored.id()).stream().map(ApiViews::attempt).toList());
        return ApiResponse.json(200, body);
    }

    /** Sends the delivery again through the retry queue (see {@link Replayer}). */
    public ApiResponse replay(ApiRequest request) {
        Replayer.Result result = replayer.replay(owned(request), null, false);
        return switch (result.outcome()) {
            case REPLAYED, EXPEDITED, ENQUEUE_FAILED -> ApiResponse.json(202, view(result));
            case CHANGED, NO_PAYLOAD, SKIPPED -> throw new ApiException(409, ApiException.CONFLICT,
                    "delivery " + result.deliveryId() + ": " + result.detail(), null);
            case NOT_FOUND -> throw ApiException.notFound("no delivery " + result.deliveryId());
        };
    }

    static Map<String, Object> view(Replayer.Result result) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("deliveryId", result.deliveryId());
        view.put("previousStatus", result.before() == null ? null : result.before().name());
        view.put("outcome", result.outcome().name());
        view.put("detail", result.detail());
        return view;
    }

    private StoredDelivery owned(ApiRequest request) {
        TenantScope scope = TenantScope.of(request);
        String id = request.pathParameter("deliveryId");
        if (!DELIVERY_ID.matcher(id).matches()) {
            throw ApiException.invalid("deliveryId", "a delivery id is dlv_ followed by 10-64 of [A-Za-z0-9_-]");
        }
        return deliveries.find(id).filter(d -> scope.owns(d.delivery().tenantId()))
                .orElseThrow(() -> ApiException.notFound("no delivery " + id + scope.describe()));
    }

    private static DeliveryStatus status(String text) {
        try {
            return DeliveryStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "status must be one of PENDING, RETRYING, DELIVERED, FAILED,"
                    + " CANCELLED");
        }
    }
}
