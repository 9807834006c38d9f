package dev.ben.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.admin.AdminException;
import dev.ben.sender.internal.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every refusal in the one error shape, and a fault answered without its details but logged once. */
class ManagementApiTest {

    private final List<String> errors = new ArrayList<>();
    private final Telemetry telemetry = new Telemetry() {
        @Override
        public void info(String message, Map<String, ?> fields) {
        }

        @Override
        public void warn(String message, Map<String, ?> fields) {
        }

        @Override
        public void error(String message, Map<String, ?> fields) {
            errors.add(message + " " + fields);
        }

        @Override
        public void metric(String name, double value) {
        }

        @Override
        public void flush() {
        }
    };

    private final ManagementApi api = new ManagementApi(new Authenticator(Optional.of("secret-token")), new Router()
            .add("GET", "/missing", r -> {
                throw AdminException.notFound("no endpoint ep_1");
            })
            .add("GET", "/conflict", r -> {
                throw AdminException.conflict("already exists");
            })
            .add("GET", "/invalid", r -> {
                throw AdminException.invalid("since", "cannot read time");
            })
            .add("GET", "/bad-value", r -> {
                throw new IllegalArgumentException("allowed host 'x y' is not a host name");
            })
            .add("GET", "/fault", r -> {
                throw new IllegalStateException("DynamoDB said no: table arn:aws:dynamodb:...:table/secret-name");
            })
            .add("POST", "/echo", r -> ApiResponse.json(200, Map.of("ok", true))), telemetry);

    private ApiResponse call(String method, String path, String body, String token) {
        Map<String, String> headers = token == null ? Map.of() : Map.of("authorization", "Bearer " + token);
        return api.handle(new ApiRequest(method, path, Map.of(), Map.of(), headers, body, false, "req-7"));
    }

    @Test
    void adminRefusals_mapTo404_409And400_withTheField() {
        assertThat(call("GET", "/missing", "", "secret-token").status()).isEqualTo(404);
        assertThat(call("GET", "/conflict", "", "secret-token").body()).contains("\"code\":\"conflict\"");
        ApiResponse invalid = call("GET", "/invalid", "", "secret-token");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).isEqualTo("{\"error\":{\"code\":\"invalid_request\",\"message\":"
                + "\"cannot read time\",\"field\":\"since\"}}");
        assertThat(call("GET", "/bad-value", "", "secret-token").status()).isEqualTo(400);
    }

    @Test
    void aFault_is500WithoutItsDetails_andIsLoggedOnceWithTheRequestId() {
        ApiResponse fault = call("GET", "/fault", "", "secret-token");

        assertThat(fault.status()).isEqualTo(500);
        assertThat(fault.body()).contains("\"code\":\"internal\"", "req-7").doesNotContain("secret-name");
        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst()).contains("requestId=req-7", "secret-name");
    }

    @Test
    void theTokenIsCheckedBeforeAnythingElse_andBodiesAreBounded() {
        assertThat(call("GET", "/missing", "", null).status()).isEqualTo(401);
        assertThat(call("GET", "/missing", "", "Secret-Token").status()).isEqualTo(401);
        assertThat(call("POST", "/echo", "x".repeat(ManagementApi.MAX_BODY_BYTES + 1), null).status())
                .isEqualTo(401);
        assertThat(call("POST", "/echo", "x".repeat(ManagementApi.MAX_BODY_BYTES + 1), "secret-token").status())
                .isEqualTo(413);
        assertThat(call("POST", "/echo", "{}", "secret-token").status()).isEqualTo(200);
    }

    @Test
    void anIamCaller_needsNoToken_andNoTokenConfiguredRefusesEveryoneElse() {
        ManagementApi noToken = new ManagementApi(new Authenticator(Optional.empty()), new Router()
                .add("GET", "/x", r -> ApiResponse.json(200, Map.of())), telemetry);

        ApiResponse iam = noToken.handle(new ApiRequest("GET", "/x", Map.of(), Map.of(), Map.of(), "", true));
        ApiResponse guess = noToken.handle(new ApiRequest("GET", "/x", Map.of(), Map.of(),
                Map.of("authorization", "Bearer "), "", false));

        assertThat(iam.status()).isEqualTo(200);
        assertThat(guess.status()).isEqualTo(401);
    }
}
