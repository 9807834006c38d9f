package dev.ben.settings.declaration;

/**
 * What a source table's stream records carry. Ben needs images to evaluate rules and build payloads:
 *
 * <table>
 * <caption>What each view type allows</caption>
 * <tr><th>view type</th><th>rules allowed</th></tr>
 * <tr><td>{@link #NEW_AND_OLD_IMAGES} (default)</td><td>everything</td></tr>
 * <tr><td>{@link #NEW_IMAGE}</td><td>INSERT and MODIFY without {@code when} (any change): with no old image,
 *     "becomes" and "changes" cannot be told apart from "is"; REMOVE records carry no image</td></tr>
 * <tr><td>{@link #OLD_IMAGE}</td><td>REMOVE only, without {@code when}</td></tr>
 * <tr><td>{@link #KEYS_ONLY}</td><td>refused: no image to build a payload from</td></tr>
 * </table>
 */
public enum StreamViewType {
    NEW_AND_OLD_IMAGES,
    NEW_IMAGE,
    OLD_IMAGE,
    KEYS_ONLY
}
