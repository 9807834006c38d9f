package dev.ben.infra.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SAM policy templates Ben's template uses, with their definitions as SAM ships them in
 * {@code samtranslator/policy_templates_data/policy_templates.json} (github.com/aws/serverless-application-model,
 * read at commit 7000d0a3b0e5e0d9fca014ce135850718aad1290). SAM expands a template by replacing each
 * {@code {"Ref": <Parameter>}} of the definition with the value given in the function's {@code Policies}; CloudFormation
 * then resolves the rest. A template not listed here fails the check until its definition is added.
 */
final class SamPolicyTemplates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TABLE_ARNS = """
            [{"Fn::Sub": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}",
                          {"tableName": {"Ref": "TableName"}}]},
             {"Fn::Sub": ["arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/index/*",
                          {"tableName": {"Ref": "TableName"}}]}]""";

    private static final String QUEUE_ARN = """
            {"Fn::Sub": ["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}",
                         {"queueName": {"Ref": "QueueName"}}]}""";

    private static final Map<String, String> DEFINITIONS = Map.of(
            "DynamoDBCrudPolicy", """
                    {"Statement": [{"Effect": "Allow",
                      "Action": ["dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan",
                                 "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
                                 "dynamodb:BatchGetItem", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"],
                      "Resource": %s}]}""".formatted(TABLE_ARNS),
            "DynamoDBReadPolicy", """
                    {"Statement": [{"Effect": "Allow",
                      "Action": ["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem",
                                 "dynamodb:DescribeTable"],
                      "Resource": %s}]}""".formatted(TABLE_ARNS),
            "DynamoDBWritePolicy", """
                    {"Statement": [{"Effect": "Allow",
                      "Action": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
                      "Resource": %s}]}""".formatted(TABLE_ARNS),
            "DynamoDBStreamReadPolicy", """
                    {"Statement": [
                      {"Effect": "Allow",
                       "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                       "Resource": {"Fn::Sub": [
                         "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/stream/${streamName}",
                         {"streamName": {"Ref": "StreamName"}, "tableName": {"Ref": "TableName"}}]}},
                      {"Effect": "Allow", "Action": ["dynamodb:ListStreams"],
                       "Resource": {"Fn::Sub": [
                         "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/stream/*",
                         {"tableName": {"Ref": "TableName"}}]}}]}""",
            "SQSSendMessagePolicy", """
                    {"Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage*"], "Resource": %s}]}"""
                    .formatted(QUEUE_ARN),
            "SQSPollerPolicy", """
                    {"Statement": [{"Effect": "Allow",
                      "Action": ["sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch",
                                 "sqs:DeleteMessage", "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes",
                                 "sqs:ReceiveMessage"],
                      "Resource": %s}]}""".formatted(QUEUE_ARN),
            // the receiver template's (receiver-template.yaml), read at commit 013ec109893d6fbb6ea2e148f37f1f5eb34471a1
            "AWSSecretsManagerGetSecretValuePolicy", """
                    {"Statement": [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
                      "Resource": {"Fn::Sub": ["${secretArn}", {"secretArn": {"Ref": "SecretArn"}}]}}]}""",
            "SSMParameterReadPolicy", """
                    {"Statement": [{"Effect": "Allow", "Action": ["ssm:DescribeParameters"], "Resource": "*"},
                      {"Effect": "Allow", "Action": ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
                       "Resource": {"Fn::Sub": ["arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${parameterName}",
                                                {"parameterName": {"Ref": "ParameterName"}}]}}]}""");

    private SamPolicyTemplates() {
    }

    /**
     * The policy document of template {@code name} with its parameters replaced by {@code values} (still holding
     * the template's intrinsics, e.g. {@code Fn::Sub} with {@code AWS::Region}).
     */
    static Object expand(String name, Map<?, ?> values, String where) {
        String definition = DEFINITIONS.get(name);
        if (definition == null) {
            throw new IllegalArgumentException(where + ": SAM policy template " + name + " is not known to the IAM "
                    + "check; add its definition from SAM's policy_templates.json to "
                    + SamPolicyTemplates.class.getSimpleName() + " (known: " + DEFINITIONS.keySet() + ")");
        }
        try {
            return replaceParameters(JSON.readValue(definition, Map.class), values, name, where);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object replaceParameters(Object node, Map<?, ?> values, String template, String where) {
        if (node instanceof List<?> list) {
            return list.stream().map(item -> replaceParameters(item, values, template, where)).toList();
        }
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.get("Ref") instanceof String parameter && Character.isUpperCase(parameter.charAt(0))
                    && !parameter.startsWith("AWS::")) {
                if (!values.containsKey(parameter)) {
                    throw new IllegalArgumentException(where + ": " + template + " needs parameter " + parameter
                            + ", given " + values.keySet());
                }
                return values.get(parameter);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), replaceParameters(v, values, template, where)));
            return out;
        }
        return node;
    }
}
