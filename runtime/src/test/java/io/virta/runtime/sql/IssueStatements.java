package io.virta.runtime.sql;

import java.util.List;

/** The statements of the specification, verbatim, shared by parser, planner and driver tests. */
public final class IssueStatements {

    private IssueStatements() {}

    public static final String HIGH_VALUE =
            "CREATE STREAM high_value_purchases AS SELECT * FROM purchases WHERE amount > 1000"
                    + " EMIT CHANGES;";
    public static final String PAGE_VIEWS =
            "CREATE STREAM page_views AS SELECT TUMBLING_WINDOW(5 MINUTES) AS window, page_url,"
                    + " COUNT(*) AS view_count\n"
                    + "  FROM page_view_events GROUP BY page_url EMIT CHANGES;";
    public static final String REVENUE =
            "CREATE STREAM revenue_by_product AS SELECT product_id, SUM(amount) AS total_revenue,"
                    + " COUNT(*) AS purchase_count\n"
                    + "  FROM purchases GROUP BY product_id WINDOW TUMBLING (SIZE 1 HOUR) EMIT"
                    + " CHANGES;";
    public static final String SLIDING =
            "CREATE STREAM sliding_averages AS SELECT HOPPING_WINDOW(SIZE 10 MINUTES, ADVANCE 1"
                    + " MINUTE) AS window,\n"
                    + "  AVG(response_time_ms) AS avg_response_time FROM api_requests EMIT"
                    + " CHANGES;";
    public static final String SESSIONS =
            "CREATE STREAM user_sessions AS SELECT SESSION_WINDOW(15 MINUTES) AS session,"
                    + " user_id,\n"
                    + "  COUNT(*) AS actions_in_session, COLLECT_LIST(action_type) AS actions FROM"
                    + " user_activities GROUP BY user_id EMIT CHANGES;";
    public static final String EVENT_STORE =
            "CREATE EVENT_STORE account_transactions (account_id STRING, event_type STRING,"
                    + " amount DECIMAL, balance DECIMAL,\n"
                    + "  event_time TIMESTAMP) PARTITION BY account_id;";
    public static final String INSERT =
            "INSERT INTO account_transactions VALUES ('acct123', 'deposit', 500.00, 1500.00,"
                    + " NOW());";
    public static final String BALANCES =
            "CREATE TABLE account_balances AS SELECT account_id, SUM(CASE WHEN event_type ="
                    + " 'deposit' THEN amount\n"
                    + "  WHEN event_type = 'withdrawal' THEN -amount END) AS balance FROM"
                    + " account_transactions GROUP BY account_id;";

    /** All of them, in the issue's order. */
    public static final List<String> ALL =
            List.of(
                    HIGH_VALUE,
                    PAGE_VIEWS,
                    REVENUE,
                    SLIDING,
                    SESSIONS,
                    EVENT_STORE,
                    INSERT,
                    BALANCES);
}
