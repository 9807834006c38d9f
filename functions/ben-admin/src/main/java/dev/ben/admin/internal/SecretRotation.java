package dev.ben.admin.internal;

import dev.ben.admin.AdminException;
import java.util.List;

/**
 * The two steps of a signing-secret rotation, the same for endpoints and tenants: {@link #rotate} adds a second
 * secret (both sign every request until {@link #retire}), {@link #retire} keeps only the newest. It decides the new
 * secrets from the ones read; the caller writes them conditionally on those.
 *
 * <table>
 * <caption>secrets before → outcome</caption>
 * <tr><th>before</th><th>rotate</th><th>retire</th></tr>
 * <tr><td>[old]</td><td>[old, new] (400 when new is bad or is old)</td><td>409, nothing to retire</td></tr>
 * <tr><td>[old, new]</td><td>409, already rotating</td><td>[new]</td></tr>
 * </table>
 */
final class SecretRotation {

    /** The secrets after a rotation and the added one (shown once). */
    record Rotated(List<String> secrets, String added) {
    }

    private final EndpointRules rules;

    SecretRotation(EndpointRules rules) {
        this.rules = rules;
    }

    /**
     * @param owner what the secrets sign for, e.g. {@code endpoint ep_1}
     * @param given the new secret, or null for a generated one
     */
    Rotated rotate(String owner, List<String> before, String given) {
        if (before.size() >= 2) {
            throw AdminException.conflict(owner + " is already rotating (2 secrets): retire the old one first "
                    + "(POST …/secret/retire)");
        }
        String added = rules.secret(given);
        if (before.contains(added)) {
            throw ApiException.invalid("secret", "that is the current secret of " + owner);
        }
        return new Rotated(List.of(before.getFirst(), added), added);
    }

    List<String> retire(String owner, List<String> before) {
        if (before.size() < 2) {
            throw AdminException.conflict(owner + " has a single secret; nothing to retire (start a rotation with "
                    + "POST …/secret/rotate)");
        }
        return List.of(before.getLast());
    }
}
