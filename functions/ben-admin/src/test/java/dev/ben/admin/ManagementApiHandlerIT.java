package dev.ben.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.ben.events.SampleEvents;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The handler class as Lambda (and {@code sam local invoke -e}) runs it, with the sample events of events/. */
@ExtendWith(LocalAwsExtension.class)
class ManagementApiHandlerIT {

    private final ManagementApiHandler handler;

    ManagementApiHandlerIT(LocalAws aws) {
        ProvisionedResources resources = aws.provision(BenSettings.own(), "h" + UUID.randomUUID().toString()
                .substring(0, 8) + "-");
        handler = new ManagementApiHandler(resources.environment());
    }

    @Test
    void theSampleRequests_ofAnIamCaller_areServed_andARetriedCreateIsAnsweredAgain() {
        APIGatewayV2HTTPEvent create = SampleEvents.load(SampleEvents.HTTP_MANAGEMENT_CREATE_TENANT,
                APIGatewayV2HTTPEvent.class);

        var created = handler.handleRequest(create, null);
        var retried = handler.handleRequest(create, null);
        var listed = handler.handleRequest(SampleEvents.load(SampleEvents.HTTP_MANAGEMENT_LIST_DELIVERIES,
                APIGatewayV2HTTPEvent.class), null);

        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        assertThat(created.getHeaders()).containsEntry("content-type", "application/json");
        assertThat(created.getBody()).contains("\"tenantId\":\"merchant-42\"", "\"secret\":\"whsec_");
        assertThat(retried.getStatusCode()).isEqualTo(201);
        assertThat(retried.getBody()).isEqualTo(created.getBody());
        assertThat(retried.getHeaders()).containsEntry("idempotent-replayed", "true");
        assertThat(listed.getStatusCode()).as(listed.getBody()).isEqualTo(200);
        assertThat(listed.getBody()).isEqualTo("{\"items\":[],\"nextCursor\":null}");
    }

    @Test
    void withoutAnIamAuthorizerOrAToken_aRequestIs401() {
        APIGatewayV2HTTPEvent list = SampleEvents.load(SampleEvents.HTTP_MANAGEMENT_LIST_DELIVERIES,
                APIGatewayV2HTTPEvent.class);
        list.getRequestContext().setAuthorizer(null);

        var refused = handler.handleRequest(list, null);

        assertThat(refused.getStatusCode()).isEqualTo(401);
        assertThat(refused.getBody()).contains("\"code\":\"unauthorized\"", "BEN_MANAGEMENT_API_TOKEN");
    }
}
