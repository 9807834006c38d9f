package dev.ben.admin.internal;

/** What one route does. */
@FunctionalInterface
public interface Operation {
    ApiResponse handle(ApiRequest request);
}
