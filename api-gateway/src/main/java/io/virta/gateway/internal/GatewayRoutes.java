package io.virta.gateway.internal;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.typesafe.config.Config;
import io.virta.actors.api.EventStore;
import io.virta.actors.api.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: every route of the gateway, with JSON errors for whatever goes wrong.
 *
 * <ul>
 *   <li>{@code GET /alive}, {@code GET /ready}
 *   <li>{@code PUT|GET /v1/streams/{stream}}, {@code GET /v1/streams}
 *   <li>{@code POST /v1/streams/{stream}/events}
 *   <li>{@code GET /v1/streams/{stream}/keys/{key}/events}
 * </ul>
 */
public final class GatewayRoutes extends AllDirectives {
    private static final Logger log = LoggerFactory.getLogger(GatewayRoutes.class);

    private final EventStore store;
    private final StreamRoutes streams;
    private final EventRoutes events;
    private final SqlRoutes sql;
    private final TableRoutes tables;
    private final QueryRoutes queries;
    private final ConnectorRoutes connectors;
    private final SubscribeRoutes subscriptions;
    private final long maxBodyBytes;
    private final Duration bodyReadTimeout;

    public GatewayRoutes(
            EventStore store,
            io.virta.connectors.ConnectorService connectorService,
            Config config) {
        this.store = store;
        this.streams = new StreamRoutes(store);
        this.events = new EventRoutes(store, config.getInt("virta.gateway.append-parallelism"));
        this.sql = new SqlRoutes(store.pipelines());
        this.tables = new TableRoutes(store);
        this.queries = new QueryRoutes(store.tables());
        this.connectors = new ConnectorRoutes(store.connectors(), connectorService);
        this.subscriptions =
                new SubscribeRoutes(
                        store,
                        config.getInt("virta.gateway.subscriptions.buffer"),
                        config.getDuration("virta.gateway.subscriptions.slow-subscriber-timeout"));
        this.maxBodyBytes = config.getBytes("virta.gateway.max-body-size");
        this.bodyReadTimeout = config.getDuration("virta.gateway.body-read-timeout");
    }

    /** The gateway's route tree. */
    public Route routes() {
        return handleExceptions(
                errors(),
                () ->
                        handleRejections(
                                Rejections.handler(),
                                () -> concat(health(), pathPrefix("v1", this::v1))));
    }

    private Route health() {
        return concat(
                path(
                        "alive",
                        () -> get(() -> complete(Json.response(StatusCodes.OK, status("alive"))))),
                path("ready", () -> get(() -> onSuccess(store.ready(), this::readiness))));
    }

    private Route readiness(boolean ready) {
        return ready
                ? complete(Json.response(StatusCodes.OK, status("ready")))
                : complete(Json.response(StatusCodes.SERVICE_UNAVAILABLE, status("not ready")));
    }

    private Route v1() {
        return concat(
                pathPrefix(
                        "streams",
                        () ->
                                concat(
                                        pathEndOrSingleSlash(
                                                () -> get(() -> reply(streams.list()))),
                                        pathPrefix(segment(), this::stream))),
                path("sql", () -> post(this::submitSql)),
                path("query", () -> post(this::query)),
                pathPrefix("connectors", this::connectorRoutes),
                pathPrefix("tables", () -> pathPrefix(segment(), this::tableKeys)),
                pathPrefix(
                        "pipelines",
                        () ->
                                concat(
                                        pathEndOrSingleSlash(() -> get(() -> reply(sql.list()))),
                                        path(
                                                segment(),
                                                name ->
                                                        concat(
                                                                get(() -> reply(sql.get(name))),
                                                                delete(
                                                                        () ->
                                                                                reply(
                                                                                        sql.drop(
                                                                                                name))))))));
    }

    private Route subscribe(String stream) {
        return parameterMap(
                params ->
                        optionalHeaderValueByName(
                                "Last-Event-ID",
                                last ->
                                        onSuccess(
                                                subscriptions.events(stream, params, last),
                                                events ->
                                                        concat(
                                                                handleWebSocketMessages(
                                                                        SubscribeRoutes.asWebSocket(
                                                                                events)),
                                                                completeOK(
                                                                        SubscribeRoutes
                                                                                .asServerSentEvents(
                                                                                        events),
                                                                        EventStreamMarshalling
                                                                                .toEventStream())))));
    }

    private Route tableKeys(String table) {
        return pathPrefix(
                "keys",
                () ->
                        path(
                                segment(),
                                key ->
                                        get(
                                                () ->
                                                        parameterMap(
                                                                params ->
                                                                        reply(
                                                                                tables.row(
                                                                                        table, key,
                                                                                        params))))));
    }

    private Route submitSql() {
        return extractRequestEntity(
                entity -> {
                    boolean json = entity.getContentType().mediaType().subType().equals("json");
                    return withBody(body -> reply(sql.submit(body, json)));
                });
    }

    private Route connectorRoutes() {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> reply(connectors.list()))),
                pathPrefix(
                        segment(),
                        name ->
                                concat(
                                        pathEnd(
                                                () ->
                                                        concat(
                                                                get(
                                                                        () ->
                                                                                reply(
                                                                                        connectors
                                                                                                .get(
                                                                                                        name))),
                                                                delete(
                                                                        () ->
                                                                                reply(
                                                                                        connectors
                                                                                                .drop(
                                                                                                        name))))),
                                        path(
                                                "pause",
                                                () ->
                                                        post(
                                                                () ->
                                                                        reply(
                                                                                connectors
                                                                                        .setPaused(
                                                                                                name,
                                                                                                true)))),
                                        path(
                                                "resume",
                                                () ->
                                                        post(
                                                                () ->
                                                                        reply(
                                                                                connectors
                                                                                        .setPaused(
                                                                                                name,
                                                                                                false)))))));
    }

    private Route query() {
        return extractRequestEntity(
                entity -> {
                    boolean json = entity.getContentType().mediaType().subType().equals("json");
                    return withBody(body -> reply(queries.query(body, json)));
                });
    }

    private Route stream(String stream) {
        return concat(
                pathEnd(
                        () ->
                                concat(
                                        put(
                                                () ->
                                                        withBody(
                                                                body ->
                                                                        reply(
                                                                                streams.define(
                                                                                        stream,
                                                                                        body)))),
                                        get(() -> reply(streams.describe(stream))))),
                path("events", () -> post(() -> postEvents(stream))),
                path("subscribe", () -> get(() -> subscribe(stream))),
                pathPrefix("keys", () -> pathPrefix(segment(), key -> replayKey(stream, key))));
    }

    private Route postEvents(String stream) {
        return extractRequestEntity(
                entity -> {
                    String subType = entity.getContentType().mediaType().subType();
                    boolean ndjson = subType.equals("x-ndjson") || subType.equals("ndjson");
                    return withBody(body -> reply(events.post(stream, body, ndjson)));
                });
    }

    private Route replayKey(String stream, String key) {
        return path(
                "events",
                () -> get(() -> parameterMap(params -> reply(events.replay(stream, key, params)))));
    }

    /**
     * Reads the whole body, at most {@code virta.gateway.max-body-size} bytes, then runs {@code
     * inner}.
     */
    private Route withBody(Function<byte[], Route> inner) {
        return extractRequestEntity(
                entity -> {
                    if (entity.getContentLengthOption().orElse(0L) > maxBodyBytes) {
                        throw tooLarge();
                    }
                    // A chunked body has no length up front: the size limit stops it as it streams
                    // in. The
                    // strict read may take one byte more so that the size limit, not the read,
                    // reports it.
                    return extractMaterializer(
                            materializer ->
                                    onComplete(
                                            entity.withSizeLimit(maxBodyBytes)
                                                    .toStrict(
                                                            bodyReadTimeout.toMillis(),
                                                            maxBodyBytes + 1,
                                                            materializer),
                                            strict -> {
                                                if (strict.isFailure()) {
                                                    throw asApiError(strict.failed().get());
                                                }
                                                return inner.apply(
                                                        strict.get().getData().toArray());
                                            }));
                });
    }

    private ApiError tooLarge() {
        return ApiError.of(
                StatusCodes.PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the body is larger than " + maxBodyBytes + " bytes (virta.gateway.max-body-size)");
    }

    private Route reply(CompletionStage<HttpResponse> response) {
        return onComplete(
                response,
                done -> {
                    if (done.isFailure()) {
                        throw asApiError(done.failed().get());
                    }
                    return complete(done.get());
                });
    }

    private ExceptionHandler errors() {
        return ExceptionHandler.newBuilder()
                .matchAny(
                        failure -> {
                            ApiError error = asApiError(failure);
                            if (error.status().intValue() == 503) {
                                return complete(Json.error(error).addHeader(RetryAfter.create(1L)));
                            }
                            return complete(Json.error(error));
                        })
                .build();
    }

    private ApiError asApiError(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException
                        || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiError api) {
            return api;
        }
        if (cause instanceof EntityStreamSizeException) {
            return tooLarge();
        }
        if (cause instanceof StoreUnavailableException) {
            return ApiError.of(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", cause.getMessage());
        }
        if (cause instanceof IllegalArgumentException) {
            return ApiError.badRequest("invalid_request", cause.getMessage());
        }
        log.error("Unexpected failure while serving a request", cause);
        return ApiError.of(
                StatusCodes.INTERNAL_SERVER_ERROR,
                "internal_error",
                "unexpected failure: " + cause);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode status(String status) {
        return Json.MAPPER.createObjectNode().put("status", status);
    }
}
