package dev.ben.infra.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * The AWS managed policies Ben's roles get, as AWS publishes them (AWS Managed Policy Reference,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/, policy version v1 of each). Only these: a role
 * naming any other managed policy fails the check until its document is added here.
 */
final class ManagedPolicies {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Attached to every Lambda role by CDK and SAM: CloudWatch Logs. */
    static final String BASIC_EXECUTION = "AWSLambdaBasicExecutionRole";
    /** Attached by SAM for a {@code DynamoDB} event source: stream reads, on any stream. */
    static final String DYNAMODB_EXECUTION = "AWSLambdaDynamoDBExecutionRole";
    /** Attached by SAM for an {@code SQS} event source: receive/delete, on any queue. */
    static final String SQS_QUEUE_EXECUTION = "AWSLambdaSQSQueueExecutionRole";

    private static final Map<String, String> DOCUMENTS = Map.of(
            BASIC_EXECUTION, """
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                      "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                      "Resource": "*"}]}""",
            DYNAMODB_EXECUTION, """
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                      "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                                 "dynamodb:ListStreams", "logs:CreateLogGroup", "logs:CreateLogStream",
                                 "logs:PutLogEvents"],
                      "Resource": "*"}]}""",
            SQS_QUEUE_EXECUTION, """
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                      "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                 "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                      "Resource": "*"}]}""");

    private ManagedPolicies() {
    }

    /** By name or ARN ({@code arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole}). */
    static List<Statement> statements(String nameOrArn) {
        String name = nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
        String document = DOCUMENTS.get(name);
        if (document == null) {
            throw new IllegalArgumentException("managed policy " + nameOrArn + " is not known to the IAM check; add its"
                    + " document to " + ManagedPolicies.class.getSimpleName() + " (known: " + DOCUMENTS.keySet() + ")");
        }
        try {
            return Statement.ofDocument(JSON.readValue(document, Map.class), "managed policy " + name, false);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
