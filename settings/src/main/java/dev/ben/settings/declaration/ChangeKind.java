package dev.ben.settings.declaration;

/** The kind of change a DynamoDB stream record describes (its {@code eventName}). */
public enum ChangeKind {
    /** A new item: the record has a new image, no old image. */
    INSERT,
    /** An updated item: new and old image. */
    MODIFY,
    /** A deleted item: only the old image. */
    REMOVE
}
