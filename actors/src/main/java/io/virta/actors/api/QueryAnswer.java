package io.virta.actors.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The answer to a query that reads one key of a table.
 *
 * @param table the table read
 * @param key the key read
 * @param row the selected columns of the key's row; empty when the key has no row then, or the
 *     query's filter leaves it out
 */
public record QueryAnswer(String table, String key, Optional<ObjectNode> row) {}
