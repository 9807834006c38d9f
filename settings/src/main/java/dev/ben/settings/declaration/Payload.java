package dev.ben.settings.declaration;

import java.util.List;

/**
 * What goes into an event's {@code data}: a projection of the item ({@code {"attributes": [...]}} in JSON) or the
 * whole item ({@code "newImage"}). Both read the new image, or the old image for REMOVE.
 */
public sealed interface Payload {

    /** JSON form of the whole-image payload. */
    String NEW_IMAGE = "newImage";

    /** These attributes of the image (absent ones are left out), in this order. */
    record Projection(List<String> attributes) implements Payload {
        public Projection {
            attributes = attributes == null ? List.of() : List.copyOf(attributes);
        }
    }

    /** Every attribute of the image. */
    record WholeImage() implements Payload {
    }
}
