package io.virta.connectors.devservices;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The parts of a Kafka or Pulsar log file (both written with the pattern {@code [%d] %p %m (%c)%n})
 * that explain a failure: its last lines without configuration dumps, and its last ERROR and FATAL
 * records with the exception line after each and every {@code Caused by:} line. Read in one pass
 * with bounded memory, so a long log costs time only.
 */
final class LogSummary {

    private static final int LAST_LINES = 40;
    private static final int ERROR_LINES = 30;

    /** Kafka logs every config as "... XConfig values: " followed by tab-indented lines. */
    private static final String DUMP_START = " values: ";

    private static final String DUMP_END = "(org.apache.kafka.common.config.AbstractConfig)";

    private final String lastLines;
    private final String errors;

    private LogSummary(String lastLines, String errors) {
        this.lastLines = lastLines;
        this.errors = errors;
    }

    /** Summarizes a file; a missing or unreadable file gives a one-line note instead. */
    static LogSummary of(Path file) {
        if (!Files.isRegularFile(file)) {
            return new LogSummary("(no such file)\n", "(no such file)\n");
        }
        Deque<String> last = new ArrayDeque<>();
        Deque<String> errors = new ArrayDeque<>();
        boolean inDump = false;
        boolean afterError = false;
        // The reader replaces malformed bytes instead of failing, unlike Files.lines.
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (inDump) {
                    inDump = !line.trim().equals(DUMP_END);
                    continue;
                }
                inDump = line.endsWith(DUMP_START);
                keep(last, line, LAST_LINES);
                boolean error = line.contains("] ERROR ") || line.contains("] FATAL ");
                if (error
                        || line.startsWith("Caused by:")
                        || (afterError && !line.startsWith("["))) {
                    keep(errors, line, ERROR_LINES);
                }
                afterError = error;
            }
        } catch (IOException e) {
            String note = "(unreadable: " + e + ")\n";
            return new LogSummary(note, note);
        }
        return new LogSummary(join(last), errors.isEmpty() ? "(none)\n" : join(errors));
    }

    /** The last lines, configuration dumps left out. */
    String lastLines() {
        return lastLines;
    }

    /** The last ERROR and FATAL records with their exception and cause lines. */
    String errors() {
        return errors;
    }

    private static void keep(Deque<String> ring, String line, int capacity) {
        ring.addLast(line);
        if (ring.size() > capacity) {
            ring.removeFirst();
        }
    }

    private static String join(Deque<String> lines) {
        return String.join("\n", lines) + "\n";
    }
}
