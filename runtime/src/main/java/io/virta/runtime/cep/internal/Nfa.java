package io.virta.runtime.cep.internal;

import io.virta.runtime.cep.Condition;
import io.virta.runtime.cep.internal.Regex.Contiguity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API: an immutable Thompson automaton for a {@link Regex}. Nodes are numbered; a run of
 * the automaton always waits at a {@link #TAKE} node, which binds one row to its variable when the
 * variable's condition holds. {@code SPLIT} nodes are free choices (first branch preferred) and
 * {@code MATCH} ends a match. Bounded quantifiers are unrolled, so runs carry no counters and two
 * runs at one node with the same bindings are the same run.
 *
 * <p>For every node the ordered epsilon closure (the TAKE and MATCH nodes reachable without a row,
 * in preference order, each once) is computed when the automaton is built.
 */
public final class Nfa {

    /** Node kinds. */
    static final int TAKE = 0;

    static final int SPLIT = 1;
    static final int MATCH = 2;

    /** The largest automaton accepted, in nodes; quantifier bounds are unrolled into nodes. */
    public static final int MAX_NODES = 20_000;

    private final int[] kind;
    private final int[] var;
    private final int[] next;
    private final int[] alt;
    private final Contiguity[] contiguity;
    private final int[][] closure;
    private final int start;
    private final List<String> variables;
    private final List<Condition> conditions;

    private Nfa(Builder b, int start, List<String> variables, List<Condition> conditions) {
        int n = b.kind.size();
        this.kind = b.kind.stream().mapToInt(Integer::intValue).toArray();
        this.var = b.var.stream().mapToInt(Integer::intValue).toArray();
        this.next = b.next.stream().mapToInt(Integer::intValue).toArray();
        this.alt = b.alt.stream().mapToInt(Integer::intValue).toArray();
        this.contiguity = b.contiguity.toArray(new Contiguity[0]);
        this.start = start;
        this.variables = List.copyOf(variables);
        this.conditions = List.copyOf(conditions);
        this.closure = new int[n][];
        for (int i = 0; i < n; i++) {
            List<Integer> out = new ArrayList<>();
            close(i, new BitSet(n), out);
            closure[i] = out.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * Builds the automaton of a pattern.
     *
     * @param pattern the pattern
     * @param conditions the condition of each variable; a variable without one accepts every row
     * @return the automaton
     * @throws IllegalArgumentException when the pattern can match no rows at all (an empty match)
     *     or unrolls into more than {@link #MAX_NODES} nodes
     */
    public static Nfa compile(Regex pattern, Map<String, Condition> conditions) {
        Builder b = new Builder();
        int match = b.add(MATCH, -1, -1, -1, Contiguity.STRICT);
        int start = b.compile(pattern, match, true);
        List<Condition> conds = new ArrayList<>();
        for (String v : b.variables) {
            conds.add(conditions.getOrDefault(v, (row, ctx) -> true));
        }
        Nfa nfa = new Nfa(b, start, b.variables, conds);
        for (int n : nfa.closure[start]) {
            if (nfa.kind[n] == MATCH) {
                throw new IllegalArgumentException("the pattern matches an empty sequence of rows");
            }
        }
        return nfa;
    }

    private void close(int node, BitSet seen, List<Integer> out) {
        if (seen.get(node)) {
            return;
        }
        seen.set(node);
        if (kind[node] == SPLIT) {
            close(next[node], seen, out);
            close(alt[node], seen, out);
        } else {
            out.add(node);
        }
    }

    /**
     * @return the nodes a fresh run waits at, in preference order
     */
    int[] startClosure() {
        return closure[start];
    }

    /**
     * @param takeNode a TAKE node
     * @return where a run goes after binding a row there: TAKE and MATCH nodes in preference order
     */
    int[] afterTake(int takeNode) {
        return closure[next[takeNode]];
    }

    boolean isMatch(int node) {
        return kind[node] == MATCH;
    }

    int variableOf(int takeNode) {
        return var[takeNode];
    }

    Contiguity contiguityOf(int takeNode) {
        return contiguity[takeNode];
    }

    Condition conditionOf(int variable) {
        return conditions.get(variable);
    }

    /**
     * @return the pattern's variables, indexed as in {@link
     *     io.virta.runtime.operator.state.PartialMatch#labels()}
     */
    public List<String> variables() {
        return variables;
    }

    /**
     * @return the number of nodes
     */
    public int size() {
        return kind.length;
    }

    @Override
    public String toString() {
        return "Nfa"
                + variables
                + " nodes="
                + kind.length
                + " start="
                + Arrays.toString(closure[start]);
    }

    /** Mutable while compiling; the Nfa copies it. */
    private static final class Builder {
        final List<Integer> kind = new ArrayList<>();
        final List<Integer> var = new ArrayList<>();
        final List<Integer> next = new ArrayList<>();
        final List<Integer> alt = new ArrayList<>();
        final List<Contiguity> contiguity = new ArrayList<>();
        final List<String> variables = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();

        int add(int k, int v, int n, int a, Contiguity c) {
            if (kind.size() >= MAX_NODES) {
                throw new IllegalArgumentException(
                        "the pattern is too large: more than " + MAX_NODES + " automaton nodes");
            }
            kind.add(k);
            var.add(v);
            next.add(n);
            alt.add(a);
            contiguity.add(c);
            return kind.size() - 1;
        }

        int split(int first, int second) {
            return add(SPLIT, -1, first, second, Contiguity.STRICT);
        }

        /** Compiles {@code r} followed by node {@code then}; returns the entry node. */
        int compile(Regex r, int then, boolean first) {
            if (r instanceof Regex.Var v) {
                int id =
                        index.computeIfAbsent(
                                v.name(),
                                k -> {
                                    variables.add(k);
                                    return variables.size() - 1;
                                });
                return add(TAKE, id, then, -1, first ? v.entry() : Contiguity.STRICT);
            }
            if (r instanceof Regex.Concat c) {
                int entry = then;
                for (int i = c.items().size() - 1; i >= 0; i--) {
                    entry = compile(c.items().get(i), entry, first);
                }
                return entry;
            }
            if (r instanceof Regex.Alt a) {
                int[] entries = new int[a.options().size()];
                for (int i = 0; i < entries.length; i++) {
                    entries[i] = compile(a.options().get(i), then, first);
                }
                int entry = entries[entries.length - 1];
                for (int i = entries.length - 2; i >= 0; i--) {
                    entry = split(entries[i], entry);
                }
                return entry;
            }
            return repeat((Regex.Repeat) r, then, first);
        }

        private int repeat(Regex.Repeat q, int then, boolean first) {
            if (first && q.min() == 0 && relaxedEntry(q.body())) {
                // The first row of a relaxed element may be preceded by skipped rows, later
                // repetitions may not: give the first repetition a node of its own.
                int once = compile(new Regex.Repeat(q.body(), 1, q.max(), q.greedy()), then, true);
                return q.greedy() ? split(once, then) : split(then, once);
            }
            int entry;
            if (q.max() == Regex.Repeat.UNBOUNDED) {
                int loop = split(-1, -1);
                int body = compile(q.body(), loop, false);
                next.set(loop, q.greedy() ? body : then);
                alt.set(loop, q.greedy() ? then : body);
                entry = loop;
            } else {
                entry = then;
                for (int i = q.min(); i < q.max(); i++) {
                    int body = compile(q.body(), entry, false);
                    entry = q.greedy() ? split(body, then) : split(then, body);
                }
            }
            for (int i = 0; i < q.min(); i++) {
                entry = compile(q.body(), entry, first && i == q.min() - 1);
            }
            return entry;
        }

        private static boolean relaxedEntry(Regex r) {
            return r instanceof Regex.Var v && v.entry() != Contiguity.STRICT;
        }
    }
}
