package io.virta.runtime.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The sources the planner resolves names against: an immutable map from name (ignoring case) to
 * {@link SourceDescription}. Every change returns a new catalog.
 */
public final class Catalog {

    private static final Catalog EMPTY = new Catalog(Map.of());

    private final Map<String, SourceDescription> sources;

    private Catalog(Map<String, SourceDescription> sources) {
        this.sources = sources;
    }

    /**
     * @return a catalog with no sources
     */
    public static Catalog empty() {
        return EMPTY;
    }

    /**
     * @param source a source; replaces one of the same name
     * @return a catalog with it
     */
    public Catalog with(SourceDescription source) {
        Map<String, SourceDescription> m = new HashMap<>(sources);
        m.put(norm(source.name()), source);
        return new Catalog(Map.copyOf(m));
    }

    /**
     * @param name a source name
     * @return a catalog without it
     */
    public Catalog without(String name) {
        Map<String, SourceDescription> m = new HashMap<>(sources);
        m.remove(norm(name));
        return new Catalog(Map.copyOf(m));
    }

    /**
     * @param name a name, any case
     * @return the source, if declared
     */
    public Optional<SourceDescription> find(String name) {
        return Optional.ofNullable(sources.get(norm(name)));
    }

    /**
     * @return all sources, sorted by name
     */
    public List<SourceDescription> sources() {
        List<SourceDescription> out = new ArrayList<>(sources.values());
        out.sort((a, b) -> norm(a.name()).compareTo(norm(b.name())));
        return out;
    }

    private static String norm(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
