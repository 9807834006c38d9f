package dev.ben.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.events.SampleEvents;
import dev.ben.infra.iam.ArnSpace;
import dev.ben.infra.iam.AwsCall;
import dev.ben.infra.iam.CallRecorder;
import dev.ben.infra.iam.CallResource;
import dev.ben.infra.iam.Evidence;
import dev.ben.infra.iam.Exercise;
import dev.ben.infra.iam.PermissionCheck;
import dev.ben.infra.iam.Requirement;
import dev.ben.infra.iam.Requirements;
import dev.ben.infra.iam.Role;
import dev.ben.infra.iam.SamTranslator;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IAM proven by the calls made. Every function runs for real on the local stack ({@link Exercise}: succeeding and
 * failing receivers, retries to exhaustion, the sweeper, the status API, reconcile, the sample events, SnapStart
 * priming), every AWS operation it performs is recorded with its resource ({@link CallRecorder}), and then:
 * the CDK-synthesized roles and the SAM template's roles must allow each call and what each event source does with
 * the role, and must grant nothing beyond that ({@link PermissionCheck}). The evidence table is printed and written
 * to {@code target/iam-from-calls/calls.md}.
 *
 * <p>{@code -Dben.iam.samTemplate=<file>} checks another SAM template (e.g. an older {@code template.yaml}).
 */
@ExtendWith(LocalAwsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IamFromCallsIT {

    static final Path EVIDENCE = Path.of("target", "iam-from-calls", "calls.md");

    private final BenSettings settings = SynthesizedBen.demoSettings();
    private Set<AwsCall> calls;
    private List<Requirement> requirements;

    @BeforeAll
    void exerciseEveryFunction(LocalAws aws) throws Exception {
        CallRecorder.clear();
        try (Exercise exercise = Exercise.start(aws, settings)) {
            exercise.runAll();
            exercise.log().forEach(line -> System.out.println("[iam-from-calls] " + line));
            calls = CallRecorder.calls().stream().map(c -> logical(c, exercise))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        requirements = Requirements.of(calls, settings);
        String table = Evidence.markdown(calls, settings);
        Evidence.write(EVIDENCE, table);
        System.out.println("[iam-from-calls] recorded calls (" + calls.size() + " distinct), written to "
                + EVIDENCE.toAbsolutePath() + ":\n" + table);
        System.out.println("[iam-from-calls] seen without a ben/ User-Agent (local runtime pollers, test set-up): "
                + CallRecorder.unattributed());
    }

    @Test
    void everyFunction_isExercised_andMakesAwsCalls() {
        Set<String> functions = calls.stream().map(AwsCall::function).collect(Collectors.toSet());

        assertThat(functions).containsExactlyInAnyOrderElementsOf(
                settings.functions().stream().map(FunctionSpec::logicalName).toList());
    }

    @Test
    void cdkRoles_allowEveryRecordedCall_andEveryEventSource() {
        Map<String, Role> roles = IamTemplates.cdkRoles(SynthesizedBen.template(), settings);

        assertThat(PermissionCheck.missing(roles, requirements)).isEmpty();
    }

    @Test
    void samRoles_allowEveryRecordedCall_andEveryEventSource() {
        Map<String, Role> roles = samRoles();

        assertThat(PermissionCheck.missing(roles, requirements)).isEmpty();
    }

    @Test
    void cdkRoles_grantNothingTheCallsDoNotNeed() {
        Map<String, Role> roles = IamTemplates.cdkRoles(SynthesizedBen.template(), settings);

        assertThat(PermissionCheck.overGrants(roles, requirements, settings)).isEmpty();
    }

    @Test
    void samRoles_grantNothingTheCallsDoNotNeed() {
        Map<String, Role> roles = samRoles();

        assertThat(PermissionCheck.overGrants(roles, requirements, settings)).isEmpty();
    }

    @Test
    void samRoles_onAGivenSourceTable_allowEveryRecordedCall_andGrantNothingMore() {
        Map<String, Role> roles = samRoles(Map.of("SourceTableName", SampleEvents.DEMO_SOURCE,
                "SourceStreamArn", ArnSpace.stream(SampleEvents.DEMO_SOURCE)));

        assertThat(PermissionCheck.missing(roles, requirements)).isEmpty();
        assertThat(PermissionCheck.overGrants(roles, requirements, settings)).isEmpty();
    }

    /**
     * AWS's own SAM translator, where it is installed (pip {@code aws-sam-translator}; skipped otherwise): the roles
     * it generates from template.yaml pass the same two questions, and decide every requirement as the check's
     * emulation of SAM does — so the emulation ({@code SamRoles}) is held to SAM itself.
     */
    @Test
    void samTranslatorsRealRoles_passTheCheckToo_andDecideEveryRequirementLikeTheEmulation() {
        Optional<String> unavailable = SamTranslator.unavailable();
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
        for (Map<String, String> parameters : List.of(Map.<String, String>of(), Map.of(
                "SourceTableName", SampleEvents.DEMO_SOURCE,
                "SourceStreamArn", ArnSpace.stream(SampleEvents.DEMO_SOURCE)))) {
            Path template = samTemplate();
            Map<String, String> known = knownParameters(IamTemplates.parseYaml(template), parameters);
            Map<String, Role> real = IamTemplates.translatedSamRoles(SamTranslator.translate(template, known),
                    "SAM translator output of " + template.getFileName(), settings, known);
            Map<String, Role> emulated = samRoles(parameters);

            assertThat(PermissionCheck.missing(real, requirements)).as("parameters " + parameters).isEmpty();
            assertThat(PermissionCheck.overGrants(real, requirements, settings)).as("parameters " + parameters)
                    .isEmpty();
            for (Requirement r : requirements) {
                assertThat(real.get(r.function()).decide(r.action(), r.arn()).allowed())
                        .as(r.function() + " " + r.action() + " " + r.arn() + " " + parameters)
                        .isEqualTo(emulated.get(r.function()).decide(r.action(), r.arn()).allowed());
            }
        }
    }

    private Map<String, Role> samRoles() {
        return samRoles(Map.of());
    }

    private static Path samTemplate() {
        Path template = Path.of(System.getProperty("ben.iam.samTemplate",
                SamTemplateDriftTest.repoRoot().resolve("template.yaml").toString()));
        assertThat(template).as("SAM template").exists();
        return template.toAbsolutePath();
    }

    /** The given parameters the template declares (an older template may lack some). */
    private static Map<String, String> knownParameters(Map<String, Object> yaml, Map<String, String> parameters) {
        Map<String, Object> declared = CfnResources.at(yaml, "Parameters");
        Map<String, String> known = new java.util.LinkedHashMap<>(parameters);
        known.keySet().retainAll(declared == null ? Set.of() : declared.keySet());
        return known;
    }

    /** template.yaml (or {@code -Dben.iam.samTemplate}) for these parameter values (the others: defaults). */
    private Map<String, Role> samRoles(Map<String, String> parameters) {
        Path template = samTemplate();
        Map<String, Object> yaml = IamTemplates.parseYaml(template);
        return IamTemplates.samRoles(yaml, template.getFileName().toString(), settings,
                knownParameters(yaml, parameters));
    }

    private static AwsCall logical(AwsCall call, Exercise exercise) {
        CallResource resource = switch (call.resource()) {
            case CallResource.Table t -> new CallResource.Table(strip(t.name(), exercise), t.index());
            case CallResource.Stream s -> new CallResource.Stream(strip(s.table(), exercise));
            case CallResource.Queue q -> new CallResource.Queue(strip(q.name(), exercise));
            case CallResource.ApiRoute r -> r;
            case CallResource.Account a -> a;
        };
        return new AwsCall(call.function(), call.action(), resource);
    }

    private static String strip(String physical, Exercise exercise) {
        return exercise.logicalName(physical).orElseThrow(() -> new AssertionError(
                "a function touched " + physical + ", which is not one of this run's resources (prefix "
                        + exercise.prefix() + ")"));
    }
}
