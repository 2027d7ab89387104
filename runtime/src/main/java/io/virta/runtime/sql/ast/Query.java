package io.virta.runtime.sql.ast;

import io.virta.runtime.sql.Position;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@code SELECT}: the body of {@code CREATE ... AS SELECT} and {@code INSERT INTO ... SELECT}.
 *
 * @param select the select list, in order
 * @param from the source relation
 * @param window the window, from a {@code WINDOW} clause or a window function in the select list;
 *     null when not windowed
 * @param where the filter, or null
 * @param groupBy the grouping expressions, possibly empty
 * @param partitionBy the re-partitioning expressions, possibly empty
 * @param having the post-aggregation filter, or null
 * @param emit how results are emitted, or null when not written (changes)
 * @param limit the LIMIT, or null; parsed so the planner can reject it with a position (persistent
 *     queries have no end, as in ksqlDB)
 * @param pos where SELECT starts
 * @param join the JOIN of {@code from} with a second relation, or null
 * @param matchRecognize the MATCH_RECOGNIZE clause, or null
 */
public record Query(
        List<SelectItem> select,
        Relation from,
        WindowExpr window,
        Expression where,
        List<Expression> groupBy,
        List<Expression> partitionBy,
        Expression having,
        EmitMode emit,
        Limit limit,
        Position pos,
        Join join,
        MatchRecognize matchRecognize) {

    /** Copies the lists. */
    public Query {
        select = List.copyOf(select);
        Objects.requireNonNull(from, "from");
        groupBy = List.copyOf(groupBy);
        partitionBy = List.copyOf(partitionBy);
    }

    /** A query over one relation, without JOIN or MATCH_RECOGNIZE. */
    public Query(
            List<SelectItem> select,
            Relation from,
            WindowExpr window,
            Expression where,
            List<Expression> groupBy,
            List<Expression> partitionBy,
            Expression having,
            EmitMode emit,
            Limit limit,
            Position pos) {
        this(
                select,
                from,
                window,
                where,
                groupBy,
                partitionBy,
                having,
                emit,
                limit,
                pos,
                null,
                null);
    }

    /** INNER, LEFT [OUTER] or FULL [OUTER]. */
    public enum JoinType {
        INNER,
        LEFT,
        FULL
    }

    /**
     * {@code [INNER|LEFT|FULL] JOIN right ON condition [WITHIN ...]}.
     *
     * @param type the join type
     * @param right the second relation
     * @param on the join condition
     * @param before how far the right row may be before the left one (WITHIN), or null
     * @param after how far the right row may be after the left one (WITHIN), or null
     */
    public record Join(
            JoinType type,
            Relation right,
            Expression on,
            Duration before,
            Duration after,
            Position pos) {}

    /**
     * {@code LIMIT n}.
     *
     * @param count the number of rows
     * @param pos where LIMIT is written
     */
    public record Limit(long count, Position pos) {}

    /** {@code EMIT CHANGES} (every update) or {@code EMIT FINAL} (once, when a window closes). */
    public enum EmitMode {
        CHANGES,
        FINAL
    }

    /**
     * A source in FROM.
     *
     * @param name the stream or table
     * @param alias the alias, or null
     */
    public record Relation(String name, String alias, Position pos) {}

    /** An entry of the select list. */
    public sealed interface SelectItem {
        /**
         * @return where the item starts
         */
        Position pos();
    }

    /** {@code *} or {@code alias.*}: every column of the source. */
    public record AllColumns(String qualifier, Position pos) implements SelectItem {}

    /** {@code expression [AS alias]}. */
    public record SingleColumn(Expression expression, String alias, Position pos)
            implements SelectItem {}

    /**
     * {@code TUMBLING_WINDOW(...) [AS alias]} in the select list: declares the window and outputs
     * its bounds as {@code {"start": .., "end": ..}} under the alias.
     */
    public record WindowColumn(WindowExpr window, String alias, Position pos)
            implements SelectItem {}

    /** The three window kinds. */
    public enum WindowKind {
        TUMBLING,
        HOPPING,
        SESSION
    }

    /**
     * A window as written.
     *
     * @param kind tumbling, hopping or session
     * @param size the size (tumbling, hopping) or inactivity gap (session)
     * @param advance the hop (hopping only), else null
     * @param grace the grace period (allowed lateness), or null when not written
     * @param retention the retention, or null
     */
    public record WindowExpr(
            WindowKind kind,
            Duration size,
            Duration advance,
            Duration grace,
            Duration retention,
            Position pos) {}
}
