package dev.ben.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static Operation answer(String name) {
        return request -> ApiResponse.json(200, Map.of("op", name, "params", request.pathParameters()));
    }

    private final Router router = new Router()
            .add("GET", "/v1/dlq/{id}", answer("param"))
            .add("POST", "/v1/dlq/redrive", answer("literal"))
            .add("GET", "/v1/tenants/{tenantId}/endpoints/{endpointId}", answer("endpoint"))
            .add("PATCH", "/v1/tenants/{tenantId}/endpoints/{endpointId}", answer("patch"));

    private static ApiRequest request(String method, String path) {
        return new ApiRequest(method, path, Map.of(), Map.of(), Map.of(), "", true);
    }

    @Test
    void aLiteralSegment_winsOverAParameter() {
        assertThat(router.dispatch(request("POST", "/v1/dlq/redrive")).body()).contains("\"op\":\"literal\"");
        assertThat(router.dispatch(request("GET", "/v1/dlq/m-1")).body()).contains("\"op\":\"param\"");
    }

    @Test
    void aKnownPathWithAnotherMethod_is405_namingTheAllowedOnes() {
        ApiResponse response = router.dispatch(request("DELETE", "/v1/dlq/redrive"));
        ApiResponse endpoint = router.dispatch(request("PUT", "/v1/tenants/t/endpoints/e"));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("allow", "POST");
        assertThat(endpoint.headers()).containsEntry("allow", "GET, PATCH");
        assertThat(endpoint.body()).contains("\"code\":\"method_not_allowed\"");
    }

    @Test
    void pathParameters_arePercentDecoded_andAPlusStaysAPlus() {
        ApiResponse response = router.dispatch(request("GET", "/v1/tenants/a%3Ab/endpoints/ep+1"));

        assertThat(response.body()).contains("\"tenantId\":\"a:b\"", "\"endpointId\":\"ep+1\"");
    }

    @Test
    void unknownPaths_emptySegmentsAndExtraSegments_are404() {
        for (String path : List.of("/v1/nothing", "/v1/tenants//endpoints/e", "/v1/tenants/t/endpoints/e/x",
                "/", "")) {
            assertThatThrownBy(() -> router.dispatch(request("GET", path))).as(path)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void malformedPercentEncoding_is400() {
        assertThatThrownBy(() -> router.dispatch(request("GET", "/v1/dlq/%zz")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
