package io.virta.gateway.internal;

import io.virta.actors.api.ReplayQuery;
import io.virta.runtime.stream.EventExtractor;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * INTERNAL API: the query parameters of a replay: {@code fromSeq}, {@code from}, {@code to}, {@code
 * limit}.
 */
final class ReplayParams {
    private static final Set<String> KNOWN = Set.of("fromSeq", "from", "to", "limit");

    private ReplayParams() {}

    /**
     * @throws ApiError 400 {@code invalid_query} naming the parameter at fault
     */
    static ReplayQuery parse(Map<String, String> params) {
        for (String name : params.keySet()) {
            if (!KNOWN.contains(name)) {
                throw invalid(
                        name, "unknown parameter '" + name + "': use fromSeq, from, to and limit");
            }
        }
        ReplayQuery query = ReplayQuery.all();
        String fromSeq = params.get("fromSeq");
        if (fromSeq != null) {
            query = query.withFromSeq(number("fromSeq", fromSeq, 1, Long.MAX_VALUE));
        }
        String limit = params.get("limit");
        if (limit != null) {
            query = query.withLimit((int) number("limit", limit, 1, ReplayQuery.MAX_LIMIT));
        }
        Instant from = time(params, "from");
        Instant to = time(params, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw invalid("to", "'to' (" + to + ") must be after 'from' (" + from + ")");
        }
        if (from != null) {
            query = query.withFrom(from);
        }
        if (to != null) {
            query = query.withTo(to);
        }
        return query;
    }

    private static long number(String name, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(name, "'" + name + "' must be an integer, was '" + text + "'");
        }
        if (value < min || value > max) {
            throw invalid(
                    name,
                    "'" + name + "' must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private static Instant time(Map<String, String> params, String name) {
        String text = params.get(name);
        if (text == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(EventExtractor.parseTime(text));
        } catch (DateTimeException e) {
            throw invalid(
                    name,
                    "'"
                            + name
                            + "' must be an ISO-8601 time such as 2024-05-01T12:00:00Z, was '"
                            + text
                            + "'");
        }
    }

    private static ApiError invalid(String parameter, String detail) {
        return ApiError.badRequest("invalid_query", detail).at("parameter", parameter);
    }
}
