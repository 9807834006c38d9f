package dev.ben.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ben.infra.iam.CfnRoles;
import dev.ben.infra.iam.Identities;
import dev.ben.infra.iam.Intrinsics;
import dev.ben.infra.iam.Role;
import dev.ben.infra.iam.SamRoles;
import dev.ben.infra.internal.Names;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/**
 * The execution roles of Ben's two templates for the IAM check: logical ids mapped to the settings' names the way
 * the drift test maps them (SAM: {@code Names.pascal(name) + "Table"}, …; CDK: the construct's ids).
 */
final class IamTemplates {

    private IamTemplates() {
    }

    static Map<String, Object> parseYaml(Path file) {
        try {
            return new YAMLMapper().readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Roles of a SAM template; {@code parameters} override the template's defaults. */
    @SuppressWarnings("unchecked")
    static Map<String, Role> samRoles(Map<String, Object> template, String name, BenSettings settings,
                                      Map<String, String> parameters) {
        Identities identities = samIdentities(settings);
        Map<String, String> functions = new LinkedHashMap<>();
        settings.functions().forEach(f -> functions.put(f.logicalName(), Names.pascal(f.logicalName()) + "Function"));
        Intrinsics intrinsics = new Intrinsics(identities.asMap(), Intrinsics.parameters(template, parameters),
                (Map<String, Object>) template.getOrDefault("Conditions", Map.of()));
        return SamRoles.of(template, name, functions, intrinsics);
    }

    /** Roles of a synthesized CDK stack built by {@code BenNotification} or {@code BenSender} (construct id {@code Ben}). */
    static Map<String, Role> cdkRoles(Template template, BenSettings settings) {
        Identities identities = new Identities();
        for (TableSpec t : settings.tables()) {
            // a source the stack only imports has no resource: its ARNs are literal in the policies
            CfnResources.findLogicalId(template, "AWS::DynamoDB::Table", t.logicalName(), "Table")
                    .ifPresent(id -> identities.table(id, t.logicalName()));
        }
        for (QueueSpec q : settings.queues()) {
            identities.queue(CfnResources.logicalId(template, "AWS::SQS::Queue", q.logicalName(), "Queue"),
                    q.logicalName());
        }
        apis(settings).forEach(api -> identities.api(CfnResources.logicalId(template, "AWS::ApiGatewayV2::Api", api,
                "Api"), api));
        Map<String, String> roles = new LinkedHashMap<>();
        for (FunctionSpec f : settings.functions()) {
            roles.put(f.logicalName(), CfnResources.logicalId(template, "AWS::IAM::Role", f.logicalName(),
                    "FunctionServiceRole"));
        }
        Intrinsics intrinsics = new Intrinsics(identities.asMap(), Map.of(), Map.of());
        return CfnRoles.of(CfnResources.json(template), "CDK synth", roles, intrinsics);
    }

    /**
     * Roles in what AWS's SAM translator made of a SAM template (see {@code SamTranslator}): the roles SAM really
     * generates, {@code <Function>Role}, to hold the emulation in {@link #samRoles} to.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Role> translatedSamRoles(Map<String, Object> translated, String name, BenSettings settings,
                                                Map<String, String> parameters) {
        Identities identities = samIdentities(settings);
        Map<String, String> roles = new LinkedHashMap<>();
        settings.functions().forEach(f -> roles.put(f.logicalName(), Names.pascal(f.logicalName()) + "FunctionRole"));
        Intrinsics intrinsics = new Intrinsics(identities.asMap(), Intrinsics.parameters(translated, parameters),
                (Map<String, Object>) translated.getOrDefault("Conditions", Map.of()));
        return CfnRoles.of(translated, name, roles, intrinsics);
    }

    private static Identities samIdentities(BenSettings settings) {
        Identities identities = new Identities();
        settings.tables().forEach(t -> identities.table(Names.pascal(t.logicalName()) + "Table", t.logicalName()));
        settings.queues().forEach(q -> identities.queue(Names.pascal(q.logicalName()) + "Queue", q.logicalName()));
        apis(settings).forEach(api -> identities.api(Names.pascal(api), api));
        settings.functions().forEach(f -> identities.other(Names.pascal(f.logicalName()) + "Function",
                f.logicalName()));
        return identities;
    }

    private static java.util.Set<String> apis(BenSettings settings) {
        java.util.Set<String> apis = new java.util.LinkedHashSet<>();
        settings.functions().forEach(f -> f.triggers().forEach(t -> {
            if (t instanceof Trigger.HttpTrigger h) {
                apis.add(h.api());
            }
        }));
        return apis;
    }
}
