package io.virta.loadtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The rows a harness contributes to the comparison table ({@link ComparisonTable}): each appends
 * what it measured, one tab-separated line per figure, to the file named by the system property
 * {@code results}; without it nothing is written and the harness only prints its own summary.
 *
 * <p>A line is: section, engine, metric, value, unit, and {@code ref} for the row the others of the
 * same section and metric are divided by (or {@code -}).
 */
final class ComparisonRows {
    private ComparisonRows() {}

    /** A figure of {@code engine} in {@code section}; {@code reference} marks the divisor row. */
    static void add(
            String section,
            String engine,
            String metric,
            double value,
            String unit,
            boolean reference) {
        String file = System.getProperty("results");
        if (file == null) {
            return;
        }
        String line =
                String.join(
                                "\t",
                                section,
                                engine,
                                metric,
                                String.format(Locale.ROOT, "%.3f", value),
                                unit,
                                reference ? "ref" : "-")
                        + "\n";
        try {
            Path path = Path.of(file);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(
                    path,
                    line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
