package dev.ben.local.runtime.internal;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Converts ReceiveMessage output into the {@link SQSEvent.SQSMessage} Lambda hands a function. */
public final class SqsMessages {
    private SqsMessages() {
    }

    public static SQSEvent.SQSMessage toEvent(Message message, String queueArn, String region) {
        SQSEvent.SQSMessage event = new SQSEvent.SQSMessage();
        event.setMessageId(message.messageId());
        event.setReceiptHandle(message.receiptHandle());
        event.setBody(message.body());
        event.setMd5OfBody(message.md5OfBody());
        event.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        event.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, toEvent(value)));
        event.setMessageAttributes(attributes);
        event.setEventSource("aws:sqs");
        event.setEventSourceArn(queueArn);
        event.setAwsRegion(region);
        return event;
    }

    private static SQSEvent.MessageAttribute toEvent(MessageAttributeValue value) {
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(value.dataType());
        attribute.setStringValue(value.stringValue());
        if (value.binaryValue() != null) {
            attribute.setBinaryValue(value.binaryValue().asByteBuffer());
        }
        if (value.hasStringListValues() && !value.stringListValues().isEmpty()) {
            attribute.setStringListValues(value.stringListValues());
        }
        if (value.hasBinaryListValues() && !value.binaryListValues().isEmpty()) {
            attribute.setBinaryListValues(value.binaryListValues().stream().map(SdkBytes::asByteBuffer).toList());
        }
        return attribute;
    }
}
