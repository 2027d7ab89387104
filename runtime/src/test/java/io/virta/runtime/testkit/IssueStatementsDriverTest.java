package io.virta.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.virta.runtime.operator.Row;
import io.virta.runtime.operator.Window;
import io.virta.runtime.sql.IssueStatements;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every statement of the issue, through the driver, with checked outputs. */
class IssueStatementsDriverTest {

    static final long MIN = 60_000;

    @Test
    void highValuePurchasesFilters() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM purchases (product_id STRING KEY, amount DOUBLE, user_id STRING)");
        d.execute(IssueStatements.HIGH_VALUE);
        d.pipe("purchases", 1, "{\"product_id\":\"p1\",\"amount\":500,\"user_id\":\"u\"}");
        d.pipe("purchases", 2, "{\"product_id\":\"p2\",\"amount\":1500.5,\"user_id\":\"u\"}");
        d.pipe("purchases", 3, "{\"product_id\":\"p3\",\"amount\":1000,\"user_id\":\"u\"}");
        List<Row> out = d.output("high_value_purchases");
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("p2");
        assertThat(out.get(0).eventTime()).isEqualTo(2);
        assertThat(out.get(0).value().toString())
                .isEqualTo("{\"product_id\":\"p2\",\"amount\":1500.5,\"user_id\":\"u\"}");
        assertThat(d.plan("high_value_purchases").describe())
                .containsExactly("FILTER (amount > 1000)", "PROJECT [product_id, amount, user_id]");
    }

    @Test
    void pageViewsTumblingCountEmitsChanges() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM page_view_events (page_url STRING, user_id STRING)");
        d.execute(IssueStatements.PAGE_VIEWS);
        d.pipe("page_view_events", 1 * MIN, "{\"page_url\":\"/a\"}");
        d.pipe("page_view_events", 2 * MIN, "{\"page_url\":\"/a\"}");
        d.pipe("page_view_events", 3 * MIN, "{\"page_url\":\"/b\"}");
        d.pipe("page_view_events", 6 * MIN, "{\"page_url\":\"/a\"}");
        List<Row> out = d.output("page_views");
        assertThat(out).hasSize(4);
        assertThat(out.get(1).value().toString())
                .isEqualTo(
                        "{\"window\":{\"start\":0,\"end\":300000},\"page_url\":\"/a\",\"view_count\":2}");
        assertThat(out.get(3).window()).isEqualTo(new Window(5 * MIN, 10 * MIN));
        assertThat(out.get(3).value().get("view_count").asLong()).isEqualTo(1);
        assertThat(d.plan("page_views").describe().get(0)).isEqualTo("REKEY [page_url]");
    }

    @Test
    void revenueByProductTumblingHourNoRekeyWhenKeyed() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM purchases (product_id STRING KEY, amount DECIMAL(10,2))");
        d.execute(IssueStatements.REVENUE);
        d.pipe("purchases", 10, "{\"product_id\":\"p1\",\"amount\":10.50}");
        d.pipe("purchases", 20, "{\"product_id\":\"p1\",\"amount\":\"4.25\"}");
        d.pipe("purchases", 60 * MIN + 1, "{\"product_id\":\"p1\",\"amount\":1}");
        var table = d.table("revenue_by_product");
        assertThat(table.get("p1@[0,3600000)").toString())
                .isEqualTo("{\"product_id\":\"p1\",\"total_revenue\":14.75,\"purchase_count\":2}");
        assertThat(table.get("p1@[3600000,7200000)").get("total_revenue").decimalValue())
                .isEqualByComparingTo("1.00");
        assertThat(d.plan("revenue_by_product").rekeys()).isFalse();
    }

    @Test
    void slidingAveragesHoppingPutsEachRecordInTenWindows() {
        var d = new PipelineTestDriver();
        d.execute("CREATE STREAM api_requests (endpoint STRING, response_time_ms INT)");
        d.execute(IssueStatements.SLIDING);
        d.pipe("api_requests", 30_000, "{\"response_time_ms\":100}");
        assertThat(d.output("sliding_averages")).hasSize(10);
        d.pipe("api_requests", 90_000, "{\"response_time_ms\":200}");
        var table = d.table("sliding_averages");
        assertThat(table.get("@[0,600000)").get("avg_response_time").asDouble()).isEqualTo(150.0);
        assertThat(table.get("@[-540000,60000)").get("avg_response_time").asDouble())
                .isEqualTo(100.0);
        assertThat(table.get("@[60000,660000)").get("avg_response_time").asDouble())
                .isEqualTo(200.0);
        assertThat(d.plan("sliding_averages").describe().get(0)).isEqualTo("REKEY <global>");
    }

    @Test
    void userSessionsMergeWhenARecordBridgesTwo() {
        var d = new PipelineTestDriver();
        d.execute(
                "CREATE STREAM user_activities (user_id STRING KEY, action_type STRING)"
                        + " WITH (OUT_OF_ORDERNESS='30 MINUTES')");
        d.execute(IssueStatements.SESSIONS);
        d.pipe("user_activities", 0, "{\"user_id\":\"u1\",\"action_type\":\"login\"}");
        d.pipe("user_activities", 20 * MIN, "{\"user_id\":\"u1\",\"action_type\":\"view\"}");
        assertThat(d.table("user_sessions")).hasSize(2);
        d.pipe("user_activities", 10 * MIN, "{\"user_id\":\"u1\",\"action_type\":\"buy\"}");
        var table = d.table("user_sessions");
        assertThat(table).hasSize(1);
        JsonNode s = table.get("u1@[0,2100000)");
        assertThat(s.get("actions_in_session").asLong()).isEqualTo(3);
        assertThat(s.get("actions").toString()).isEqualTo("[\"login\",\"view\",\"buy\"]");
        assertThat(s.get("session").toString()).isEqualTo("{\"start\":0,\"end\":2100000}");
        assertThat(d.output("user_sessions").stream().filter(Row::tombstone)).hasSize(2);
    }

    @Test
    void eventStoreInsertAndBalances() {
        var d = new PipelineTestDriver();
        d.execute(IssueStatements.EVENT_STORE);
        d.execute(IssueStatements.BALANCES);
        d.advanceProcessingTime(Duration.ofMillis(1_700_000_000_000L));
        d.execute(IssueStatements.INSERT);
        d.execute(
                "INSERT INTO account_transactions VALUES ('acct123', 'withdrawal', 200.25, 1299.75,"
                        + " NOW());");
        d.execute("INSERT INTO account_transactions VALUES ('acct9', 'deposit', 1, 1, NOW());");
        List<Row> stored = d.output("account_transactions");
        assertThat(stored).hasSize(3);
        assertThat(stored.get(0).key()).isEqualTo("acct123");
        assertThat(stored.get(0).eventTime()).isEqualTo(1_700_000_000_000L);
        assertThat(stored.get(0).value().get("amount").decimalValue())
                .isEqualByComparingTo("500.00");
        var balances = d.table("account_balances");
        assertThat(balances.get("acct123").get("balance").decimalValue())
                .isEqualByComparingTo("299.75");
        assertThat(balances.get("acct9").get("balance").decimalValue()).isEqualByComparingTo("1");
        assertThat(d.plan("account_balances").rekeys()).isFalse();
        assertThat(d.execute("SHOW TABLES")).containsExactly("account_balances");
        assertThat(d.execute("SHOW EVENT_STORES")).containsExactly("account_transactions");
        assertThat(d.execute("DESCRIBE account_balances"))
                .contains("  account_id STRING KEY", "  balance DECIMAL(38,10)");
    }
}
