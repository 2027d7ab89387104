package io.virta.gateway.internal;

import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;

/** INTERNAL API: turns pekko-http's rejections into the gateway's JSON errors. */
final class Rejections {
    private Rejections() {}

    static RejectionHandler handler() {
        return RejectionHandler.newBuilder()
                .handleAll(
                        MethodRejection.class,
                        rejections ->
                                org.apache.pekko.http.javadsl.server.Directives.complete(
                                        Json.error(
                                                ApiError.of(
                                                        StatusCodes.METHOD_NOT_ALLOWED,
                                                        "method_not_allowed",
                                                        "allowed here: "
                                                                + rejections.stream()
                                                                        .map(
                                                                                r ->
                                                                                        r.supported()
                                                                                                .name())
                                                                        .collect(
                                                                                Collectors.joining(
                                                                                        ", "))))))
                .handle(
                        UnsupportedRequestContentTypeRejection.class,
                        rejection ->
                                org.apache.pekko.http.javadsl.server.Directives.complete(
                                        Json.error(
                                                ApiError.of(
                                                        StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                                                        "unsupported_media_type",
                                                        "unsupported content type"))))
                .handleNotFound(
                        org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath(
                                path ->
                                        org.apache.pekko.http.javadsl.server.Directives.complete(
                                                Json.error(
                                                        ApiError.of(
                                                                StatusCodes.NOT_FOUND,
                                                                "not_found",
                                                                "no resource at this path")))))
                .build()
                .withFallback(RejectionHandler.defaultHandler())
                .mapRejectionResponse(Rejections::asJson);
    }

    /** Pekko's own rejection responses are plain text; wrap their text as JSON. */
    private static org.apache.pekko.http.javadsl.model.HttpResponse asJson(
            org.apache.pekko.http.javadsl.model.HttpResponse response) {
        if (response.entity()
                .getContentType()
                .mediaType()
                .equals(org.apache.pekko.http.javadsl.model.MediaTypes.APPLICATION_JSON)) {
            return response;
        }
        if (!(response.entity()
                instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict)) {
            return response;
        }
        String text = strict.getData().utf8String();
        ApiError error =
                ApiError.of(
                        response.status(),
                        response.status()
                                .reason()
                                .toLowerCase(java.util.Locale.ROOT)
                                .replace(' ', '_'),
                        text);
        return Json.error(error);
    }
}
