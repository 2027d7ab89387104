package io.virta.loadtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the rows the harnesses appended ({@link ComparisonRows}) as one Markdown table, each
 * figure with its ratio to the reference row of its section and metric (for rates, above 1 is
 * faster than the reference; for latencies and sizes, above 1 is slower or larger). Arguments: the
 * rows file, then optionally a file to write the table to as well.
 */
public final class ComparisonTable {
    private record Row(
            String section, String engine, String metric, double value, String unit, boolean ref) {}

    private ComparisonTable() {}

    public static void main(String[] args) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            rows.add(new Row(f[0], f[1], f[2], Double.parseDouble(f[3]), f[4], f[5].equals("ref")));
        }
        Map<String, Row> references = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.ref()) {
                references.put(row.section() + "\t" + row.metric(), row);
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("| section | engine | metric | value | ratio to reference |\n");
        table.append("|---|---|---|---|---|\n");
        for (Row row : rows) {
            Row reference = references.get(row.section() + "\t" + row.metric());
            String ratio =
                    row.ref()
                            ? "1.00 (reference)"
                            : reference == null || reference.value() == 0
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            "%.2f (of %s)",
                                            row.value() / reference.value(),
                                            reference.engine());
            table.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %s %s | %s |%n",
                            row.section(),
                            row.engine(),
                            row.metric(),
                            format(row.value()),
                            row.unit(),
                            ratio));
        }
        System.out.print(table);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), table);
        }
    }

    private static String format(double value) {
        return Math.abs(value) >= 100
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%,.2f", value);
    }
}
