package dev.ben.infra.iam;

import java.util.List;
import java.util.Optional;

/**
 * The effective identity policy of one function's execution role: every statement of its inline policies, attached
 * policies and managed policies, intrinsics resolved.
 *
 * @param template   which template it comes from ({@code CDK synth}, {@code template.yaml}), for messages
 * @param function   logical function name
 * @param statements everything attached to the role
 */
public record Role(String template, String function, List<Statement> statements) {

    public Role {
        statements = List.copyOf(statements);
    }

    /** The decision IAM reaches for this role alone (no resource policies, boundaries or SCPs involved). */
    public Decision decide(String action, String resourceArn) {
        Optional<Statement> deny = statements.stream().filter(s -> !s.allow())
                .filter(s -> s.appliesTo(action, resourceArn)).findFirst();
        if (deny.isPresent()) {
            return new Decision.ExplicitDeny(deny.get());
        }
        return statements.stream().filter(Statement::allow).filter(s -> !s.conditional())
                .filter(s -> s.appliesTo(action, resourceArn)).findFirst()
                .<Decision>map(Decision.Allowed::new).orElse(new Decision.ImplicitDeny());
    }

    /** Statements naming this resource at all (whatever their actions): the context of a refusal. */
    public List<Statement> statementsOn(String resourceArn) {
        return statements.stream().filter(s -> s.resources().stream()
                .anyMatch(r -> Statement.matches(r, resourceArn, false))).toList();
    }

    /** IAM's answer for one request. */
    public sealed interface Decision {
        /** Allowed by this statement (and no Deny applies). */
        record Allowed(Statement by) implements Decision {
        }

        /** Refused: a Deny statement applies (it wins over any Allow). */
        record ExplicitDeny(Statement by) implements Decision {
        }

        /** Refused: no Allow statement applies. */
        record ImplicitDeny() implements Decision {
        }

        default boolean allowed() {
            return this instanceof Allowed;
        }
    }
}
