package io.virta.runtime.sql.internal;

import io.virta.runtime.sql.Position;
import io.virta.runtime.sql.SqlSyntaxException;
import io.virta.runtime.sql.internal.antlr.VirtaSqlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.ATN;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * INTERNAL API: turns the first syntax error of the lexer or parser into a {@link
 * SqlSyntaxException} with 1-based line and column and the expected tokens.
 */
public final class ThrowingErrorListener extends BaseErrorListener {

    /** The shared instance: it holds no state. */
    public static final ThrowingErrorListener INSTANCE = new ThrowingErrorListener();

    private ThrowingErrorListener() {}

    @Override
    public void syntaxError(
            Recognizer<?, ?> recognizer,
            Object offendingSymbol,
            int line,
            int charPositionInLine,
            String msg,
            RecognitionException e) {
        Position pos = new Position(line, charPositionInLine + 1);
        if (recognizer instanceof Lexer) {
            throw new SqlSyntaxException(pos, "", List.of(), "unexpected character: " + msg);
        }
        Parser parser = (Parser) recognizer;
        String offending = "<EOF>";
        if (offendingSymbol instanceof Token t && t.getType() != Token.EOF) {
            offending = t.getText();
        }
        IntervalSet expectedSet =
                e != null && e.getExpectedTokens() != null
                        ? e.getExpectedTokens()
                        : parser.getExpectedTokens();
        List<String> expected =
                new ArrayList<>(
                        new TreeSet<>(names(parser, withoutSoftKeywords(parser, expectedSet))));
        String reason =
                "syntax error near '"
                        + offending
                        + "'"
                        + (expected.isEmpty() ? "" : ", expected one of " + expected);
        throw new SqlSyntaxException(pos, offending, expected, reason);
    }

    /**
     * Where an identifier may stand, every non-reserved keyword may stand too; listing them all
     * would bury the tokens that matter, so they are left out and {@code IDENTIFIER} stays.
     */
    private static IntervalSet withoutSoftKeywords(Parser parser, IntervalSet set) {
        if (!set.contains(VirtaSqlParser.IDENTIFIER)) {
            return set;
        }
        ATN atn = parser.getATN();
        IntervalSet soft = atn.nextTokens(atn.ruleToStartState[VirtaSqlParser.RULE_nonReserved]);
        return set.subtract(soft);
    }

    private static List<String> names(Parser parser, IntervalSet set) {
        List<String> out = new ArrayList<>();
        for (int type : set.toList()) {
            if (type == Token.EOF) {
                out.add("<EOF>");
            } else {
                String name = parser.getVocabulary().getLiteralName(type);
                if (name == null) {
                    name = parser.getVocabulary().getSymbolicName(type);
                }
                if (name != null) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
