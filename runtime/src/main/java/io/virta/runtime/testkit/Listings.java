package io.virta.runtime.testkit;

import io.virta.runtime.plan.Catalog;
import io.virta.runtime.plan.SourceDescription;
import io.virta.runtime.sql.SqlPlanningException;
import io.virta.runtime.sql.ast.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SHOW and DESCRIBE for the driver: the catalog and running queries as lines of text. */
final class Listings {

    private Listings() {}

    static List<String> show(Catalog catalog, Map<String, RunningQuery> queries, String what) {
        List<String> out = new ArrayList<>();
        for (SourceDescription d : catalog.sources()) {
            boolean match =
                    switch (what) {
                        case "STREAMS" -> d.kind() == Statement.SourceKind.STREAM;
                        case "TABLES" -> d.kind() == Statement.SourceKind.TABLE;
                        case "EVENT_STORES" -> d.kind() == Statement.SourceKind.EVENT_STORE;
                        default -> queries.containsKey(PipelineTestDriver.norm(d.name()));
                    };
            if (match) {
                out.add(d.name());
            }
        }
        return out;
    }

    static List<String> describe(
            Catalog catalog, Map<String, RunningQuery> queries, Statement.Describe d) {
        SourceDescription s =
                catalog.find(d.name())
                        .orElseThrow(
                                () ->
                                        new SqlPlanningException(
                                                d.pos(), "unknown source '" + d.name() + "'"));
        List<String> out = new ArrayList<>();
        out.add(s.kind() + " " + s.name());
        s.columns()
                .forEach(
                        c ->
                                out.add(
                                        "  "
                                                + c.name()
                                                + " "
                                                + c.type().sql()
                                                + (c.key() ? " KEY" : "")));
        RunningQuery q = queries.get(PipelineTestDriver.norm(s.name()));
        if (d.extended() && q != null) {
            q.plan.describe().forEach(l -> out.add("  " + l));
        }
        return out;
    }
}
