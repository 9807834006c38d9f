package dev.ben.infra.iam;

import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.Trigger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Everything the roles must allow: each recorded call, plus what the Lambda service does with the function's role
 * for its event sources (these polls are not the function's own calls, so they are derived from the triggers):
 * a DynamoDB stream source needs {@code DescribeStream}, {@code GetRecords}, {@code GetShardIterator} and
 * {@code ListStreams} on the stream; an SQS source needs {@code ReceiveMessage}, {@code DeleteMessage} and
 * {@code GetQueueAttributes} on the queue; an on-failure SQS destination needs {@code SendMessage} on it.
 */
public final class Requirements {

    private Requirements() {
    }

    public static List<Requirement> of(Collection<AwsCall> calls, BenSettings settings) {
        List<Requirement> all = new ArrayList<>();
        calls.forEach(c -> all.add(Requirement.of(c)));
        settings.functions().forEach(f -> all.addAll(eventSources(f, settings)));
        return all;
    }

    /** What the event source mappings of a function need from its role. */
    public static List<Requirement> eventSources(FunctionSpec function, BenSettings settings) {
        List<Requirement> needed = new ArrayList<>();
        String name = function.logicalName();
        for (Trigger trigger : function.triggers()) {
            switch (trigger) {
                case Trigger.StreamTrigger s -> {
                    String table = settings.table(s.table()).logicalName();
                    String stream = ArnSpace.stream(table);
                    for (String action : List.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
                            "dynamodb:GetShardIterator", "dynamodb:ListStreams")) {
                        needed.add(new Requirement(name, action, stream, stream,
                                "its event source mapping reads the stream of " + table));
                    }
                    s.onFailureDestination().ifPresent(q -> needed.add(new Requirement(name, "sqs:SendMessage",
                            ArnSpace.queue(q), ArnSpace.queue(q), "its stream event source sends failed batches to " + q)));
                }
                case Trigger.QueueTrigger q -> {
                    for (String action : List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")) {
                        needed.add(new Requirement(name, action, ArnSpace.queue(q.queue()), ArnSpace.queue(q.queue()),
                                "its event source mapping polls " + q.queue()));
                    }
                }
                case Trigger.ScheduleTrigger s -> { }
                case Trigger.HttpTrigger h -> { }
            }
        }
        return needed;
    }
}
