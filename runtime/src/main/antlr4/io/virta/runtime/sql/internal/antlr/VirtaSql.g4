/*
 * Virta's streaming SQL dialect: the statements of ksqlDB (CREATE STREAM/TABLE, CSAS/CTAS, INSERT
 * VALUES, DROP, SHOW, DESCRIBE) plus CREATE EVENT_STORE and window functions in the select list
 * (TUMBLING_WINDOW, HOPPING_WINDOW, SESSION_WINDOW).
 *
 * INTERNAL API: the grammar is compiled into io.virta.runtime.sql.internal.antlr; users go through
 * io.virta.runtime.sql.SqlParser and the AST in io.virta.runtime.sql.ast.
 */
grammar VirtaSql;

options { caseInsensitive = true; }

// Written so that every loop decision needs only the next few tokens: a syntax error inside a
// statement is then reported by the statement's own rules, with what they expected there.
statements
    : SEMI* (statement (SEMI+ statement)* SEMI*)? EOF
    ;

singleStatement
    : statement SEMI* EOF
    ;

standaloneExpression
    : expression EOF
    ;

statement
    : CREATE (OR REPLACE)? kind=(STREAM | TABLE) (IF NOT EXISTS)? name=identifier
        withClause? AS query                                                     # createAsSelect
    | CREATE (OR REPLACE)? kind=(STREAM | TABLE) (IF NOT EXISTS)? name=identifier
        tableElements withClause? (PARTITION BY partitionKeys)?                  # createSource
    | CREATE EVENT_STORE (IF NOT EXISTS)? name=identifier tableElements
        (PARTITION BY partitionKeys)? withClause?                                # createEventStore
    | INSERT INTO target=identifier columnList? VALUES
        LPAREN expression (COMMA expression)* RPAREN                             # insertValues
    | INSERT INTO target=identifier query                                        # insertSelect
    | DROP kind=(STREAM | TABLE | EVENT_STORE) (IF EXISTS)? name=identifier
        (DELETE TOPIC)?                                                          # drop
    | (SHOW | LIST) what=(STREAMS | TABLES | EVENT_STORES | QUERIES) EXTENDED?  # show
    | DESCRIBE EXTENDED? name=identifier                                         # describe
    | query                                                                      # selectQuery
    | CREATE kind=(SOURCE | SINK) CONNECTOR (IF NOT EXISTS)? name=identifier
        withClause                                                               # createConnector
    | DROP CONNECTOR (IF EXISTS)? name=identifier                                # dropConnector
    ;

query
    : SELECT selectItem (COMMA selectItem)*
      FROM relation
      matchRecognize?
      windowClause?
      (WHERE where=expression)?
      (GROUP BY groupBy=expressionList windowClause?)?
      (PARTITION BY partitionBy=expressionList)?
      (HAVING having=expression)?
      emitClause?
      (limitKeyword=LIMIT limit=INTEGER_VALUE)?
    ;

relation
    : left=aliasedRelation (joinType? JOIN right=aliasedRelation ON on=expression joinWithin?)?
    ;

aliasedRelation
    : identifier (AS? alias=identifier)?
    ;

joinType
    : INNER | LEFT OUTER? | FULL OUTER?
    ;

// WITHIN n: the other side's row at most n before or after; WITHIN (before, after) apart.
joinWithin
    : WITHIN (size=duration | LPAREN before=duration COMMA after=duration RPAREN)
    ;

// SQL:2016 row pattern recognition, ONE ROW PER MATCH only; WITHIN as in Flink SQL.
matchRecognize
    : MATCH_RECOGNIZE LPAREN
        (PARTITION BY partition=expressionList)?
        (ORDER BY orderBy=expression ASC?)?
        (MEASURES measure (COMMA measure)*)?
        (ONE ROW PER MATCH)?
        (AFTER MATCH SKIP_ skipTo)?
        PATTERN LPAREN patternAlternation RPAREN
        (WITHIN within=interval)?
        DEFINE define (COMMA define)*
      RPAREN
    ;

measure
    : expression AS alias=identifier
    ;

define
    : variable=identifier AS expression
    ;

skipTo
    : PAST LAST ROW                         # skipPastLastRow
    | TO NEXT ROW                           # skipToNextRow
    | TO FIRST variable=skipVariable        # skipToFirst
    | TO LAST? variable=skipVariable        # skipToLast
    ;

// Not a keyword, so that SKIP TO LAST x is read one way only.
skipVariable
    : IDENTIFIER | QUOTED_IDENTIFIER | BACKQUOTED_IDENTIFIER
    ;

patternAlternation
    : patternConcat (PIPE patternConcat)*
    ;

patternConcat
    : patternQuantified+
    ;

patternQuantified
    : patternPrimary patternQuantifier?
    ;

patternPrimary
    : variable=identifier                   # patternVariable
    | LPAREN patternAlternation RPAREN      # patternGroup
    ;

patternQuantifier
    : ASTERISK reluctant=QUESTION?                                          # zeroOrMore
    | PLUS reluctant=QUESTION?                                              # oneOrMore
    | QUESTION reluctant=QUESTION?                                          # zeroOrOne
    | LBRACE min=INTEGER_VALUE? (comma=COMMA max=INTEGER_VALUE?)? RBRACE reluctant=QUESTION? # range
    ;

interval
    : duration
    | INTERVAL STRING_LITERAL timeUnit
    ;

selectItem
    : ASTERISK                                        # selectAll
    | qualifier=identifier DOT ASTERISK               # selectAllFrom
    | windowFunction (AS? alias=identifier)?          # selectWindow
    | expression (AS? alias=identifier)?              # selectExpression
    ;

windowFunction
    : TUMBLING_WINDOW LPAREN SIZE? size=duration windowOption* RPAREN                 # tumblingFunction
    | HOPPING_WINDOW LPAREN SIZE? size=duration COMMA ADVANCE BY? advance=duration
        windowOption* RPAREN                                                          # hoppingFunction
    | SESSION_WINDOW LPAREN SIZE? gap=duration windowOption* RPAREN                   # sessionFunction
    ;

windowClause
    : WINDOW TUMBLING LPAREN SIZE size=duration windowOption* RPAREN                   # tumblingWindow
    | WINDOW HOPPING LPAREN SIZE size=duration COMMA ADVANCE BY? advance=duration
        windowOption* RPAREN                                                          # hoppingWindow
    | WINDOW SESSION LPAREN gap=duration windowOption* RPAREN                         # sessionWindow
    ;

windowOption
    : COMMA GRACE PERIOD duration            # graceOption
    | COMMA ALLOWED LATENESS duration        # latenessOption
    | COMMA RETENTION duration               # retentionOption
    ;

duration
    : INTEGER_VALUE timeUnit
    ;

timeUnit
    : MILLISECOND | MILLISECONDS | SECOND | SECONDS | MINUTE | MINUTES
    | HOUR | HOURS | DAY | DAYS
    ;

emitClause
    : EMIT emitMode=(CHANGES | FINAL)
    ;

tableElements
    : LPAREN tableElement (COMMA tableElement)* RPAREN
    ;

tableElement
    : identifier type (KEY | PRIMARY KEY)?
    ;

columnList
    : LPAREN identifier (COMMA identifier)* RPAREN
    ;

partitionKeys
    : identifier (COMMA identifier)*
    ;

withClause
    : WITH LPAREN property (COMMA property)* RPAREN
    ;

property
    : (identifier | key=STRING_LITERAL) EQ literal
    ;

expressionList
    : expression (COMMA expression)*
    | LPAREN expression (COMMA expression)* RPAREN
    ;

expression
    : booleanExpression
    ;

booleanExpression
    : NOT booleanExpression                                          # logicalNot
    | predicated                                                     # predicatedExpression
    | left=booleanExpression op=AND right=booleanExpression          # logicalBinary
    | left=booleanExpression op=OR right=booleanExpression           # logicalBinary
    ;

predicated
    : valueExpression predicate?
    ;

predicate
    : comparisonOperator right=valueExpression                                  # comparison
    | NOT? BETWEEN lower=valueExpression AND upper=valueExpression              # between
    | NOT? IN LPAREN expression (COMMA expression)* RPAREN                      # inList
    | NOT? LIKE pattern=valueExpression (ESCAPE escape=STRING_LITERAL)?                 # like
    | IS NOT? NULL                                                              # nullPredicate
    ;

valueExpression
    : primaryExpression                                                         # valueDefault
    | op=(MINUS | PLUS) valueExpression                                         # arithmeticUnary
    | left=valueExpression op=(ASTERISK | SLASH | PERCENT) right=valueExpression # arithmeticBinary
    | left=valueExpression op=(PLUS | MINUS) right=valueExpression               # arithmeticBinary
    | left=valueExpression CONCAT right=valueExpression                          # concatenation
    ;

primaryExpression
    : literal                                                                   # literalExpression
    | CASE operand=expression whenClause+ (ELSE elseExpression=expression)? END # simpleCase
    | CASE whenClause+ (ELSE elseExpression=expression)? END                    # searchedCase
    | CAST LPAREN expression AS type RPAREN                                     # cast
    | ARRAY LBRACKET (expression (COMMA expression)*)? RBRACKET                 # arrayConstructor
    | name=identifier LPAREN ASTERISK RPAREN                                    # functionCallStar
    | name=identifier LPAREN (DISTINCT? expression (COMMA expression)*)? RPAREN # functionCall
    | WINDOWSTART                                                               # windowStart
    | WINDOWEND                                                                 # windowEnd
    | identifier                                                                # columnReference
    | qualifier=identifier DOT column=identifier                                # qualifiedColumnReference
    | base=primaryExpression ARROW field=identifier                             # dereference
    | value=primaryExpression LBRACKET index=valueExpression RBRACKET           # subscript
    | LPAREN expression RPAREN                                                  # parenthesized
    ;

whenClause
    : WHEN condition=expression THEN result=expression
    ;

literal
    : NULL                    # nullLiteral
    | (TRUE | FALSE)          # booleanLiteral
    | INTEGER_VALUE           # integerLiteral
    | DECIMAL_VALUE           # decimalLiteral
    | DOUBLE_VALUE            # doubleLiteral
    | STRING_LITERAL          # stringLiteral
    ;

comparisonOperator
    : EQ | NEQ | LT | LTE | GT | GTE
    ;

type
    : ARRAY LT type GT                                                  # arrayType
    | MAP LT keyType=type COMMA valueType=type GT                        # mapType
    | STRUCT LT (structField (COMMA structField)*)? GT                   # structType
    | DECIMAL (LPAREN precision=INTEGER_VALUE COMMA scale=INTEGER_VALUE RPAREN)? # decimalType
    | baseType                                                          # primitiveType
    ;

structField
    : identifier type
    ;

baseType
    : BOOLEAN | INT | INTEGER | BIGINT | DOUBLE | STRING | VARCHAR | TIMESTAMP
    ;

identifier
    : IDENTIFIER              # unquotedIdentifier
    | QUOTED_IDENTIFIER       # quotedIdentifier
    | BACKQUOTED_IDENTIFIER   # backQuotedIdentifier
    | nonReserved             # nonReservedIdentifier
    ;

// Keywords that may also name a stream, a column, an alias or a function.
nonReserved
    : WINDOW | SESSION | TUMBLING | HOPPING | SIZE | ADVANCE | GRACE | PERIOD | RETENTION
    | ALLOWED | LATENESS | EMIT | CHANGES | FINAL | KEY | PRIMARY | TOPIC | STREAMS | TABLES
    | EVENT_STORES | QUERIES | EXTENDED | LIST | REPLACE | TIMESTAMP | STRING | VARCHAR | INT
    | INTEGER | BIGINT | DOUBLE | BOOLEAN | DECIMAL | MAP | STRUCT | ARRAY | LIMIT | VALUES
    | MILLISECOND | MILLISECONDS | SECOND | SECONDS | MINUTE | MINUTES | HOUR | HOURS | DAY | DAYS
    | ESCAPE | IF | EXISTS | SHOW | DESCRIBE
    | ORDER | ASC | ONE | ROW | PER | MATCH | SKIP_ | PAST | TO | FIRST | LAST | NEXT | PATTERN
    | INTERVAL | SOURCE | SINK | CONNECTOR
    ;

// ---------------------------------------------------------------- lexer
AFTER: 'AFTER';
ASC: 'ASC';
DEFINE: 'DEFINE';
FIRST: 'FIRST';
FULL: 'FULL';
INNER: 'INNER';
INTERVAL: 'INTERVAL';
JOIN: 'JOIN';
LAST: 'LAST';
LEFT: 'LEFT';
MATCH: 'MATCH';
MATCH_RECOGNIZE: 'MATCH_RECOGNIZE';
MEASURES: 'MEASURES';
NEXT: 'NEXT';
ON: 'ON';
ONE: 'ONE';
ORDER: 'ORDER';
OUTER: 'OUTER';
PAST: 'PAST';
PATTERN: 'PATTERN';
PER: 'PER';
ROW: 'ROW';
TO: 'TO';
WITHIN: 'WITHIN';
SKIP_: 'SKIP';
ADVANCE: 'ADVANCE';
ALLOWED: 'ALLOWED';
AND: 'AND';
ARRAY: 'ARRAY';
AS: 'AS';
BETWEEN: 'BETWEEN';
BIGINT: 'BIGINT';
BOOLEAN: 'BOOLEAN';
BY: 'BY';
CASE: 'CASE';
CAST: 'CAST';
CHANGES: 'CHANGES';
CREATE: 'CREATE';
CONNECTOR: 'CONNECTOR';
DAY: 'DAY';
DAYS: 'DAYS';
DECIMAL: 'DECIMAL';
DELETE: 'DELETE';
DESCRIBE: 'DESCRIBE';
DISTINCT: 'DISTINCT';
DOUBLE: 'DOUBLE';
DROP: 'DROP';
ELSE: 'ELSE';
EMIT: 'EMIT';
END: 'END';
ESCAPE: 'ESCAPE';
EVENT_STORE: 'EVENT_STORE';
EVENT_STORES: 'EVENT_STORES';
EXISTS: 'EXISTS';
EXTENDED: 'EXTENDED';
FALSE: 'FALSE';
FINAL: 'FINAL';
FROM: 'FROM';
GRACE: 'GRACE';
GROUP: 'GROUP';
HAVING: 'HAVING';
HOPPING: 'HOPPING';
HOPPING_WINDOW: 'HOPPING_WINDOW';
HOUR: 'HOUR';
HOURS: 'HOURS';
IF: 'IF';
IN: 'IN';
INSERT: 'INSERT';
INT: 'INT';
INTEGER: 'INTEGER';
INTO: 'INTO';
IS: 'IS';
KEY: 'KEY';
LATENESS: 'LATENESS';
LIKE: 'LIKE';
LIMIT: 'LIMIT';
LIST: 'LIST';
MAP: 'MAP';
MILLISECOND: 'MILLISECOND';
MILLISECONDS: 'MILLISECONDS';
MINUTE: 'MINUTE';
MINUTES: 'MINUTES';
NOT: 'NOT';
NULL: 'NULL';
OR: 'OR';
PARTITION: 'PARTITION';
PERIOD: 'PERIOD';
PRIMARY: 'PRIMARY';
QUERIES: 'QUERIES';
REPLACE: 'REPLACE';
RETENTION: 'RETENTION';
SECOND: 'SECOND';
SECONDS: 'SECONDS';
SELECT: 'SELECT';
SESSION: 'SESSION';
SESSION_WINDOW: 'SESSION_WINDOW';
SHOW: 'SHOW';
SINK: 'SINK';
SOURCE: 'SOURCE';
SIZE: 'SIZE';
STREAM: 'STREAM';
STREAMS: 'STREAMS';
STRING: 'STRING';
STRUCT: 'STRUCT';
TABLE: 'TABLE';
TABLES: 'TABLES';
THEN: 'THEN';
TIMESTAMP: 'TIMESTAMP';
TOPIC: 'TOPIC';
TRUE: 'TRUE';
TUMBLING: 'TUMBLING';
TUMBLING_WINDOW: 'TUMBLING_WINDOW';
VALUES: 'VALUES';
VARCHAR: 'VARCHAR';
WHEN: 'WHEN';
WHERE: 'WHERE';
WINDOW: 'WINDOW';
WINDOWEND: 'WINDOWEND';
WINDOWSTART: 'WINDOWSTART';
WITH: 'WITH';

EQ: '=';
NEQ: '<>' | '!=';
LT: '<';
LTE: '<=';
GT: '>';
GTE: '>=';
PLUS: '+';
MINUS: '-';
ASTERISK: '*';
SLASH: '/';
PERCENT: '%';
CONCAT: '||';
PIPE: '|';
QUESTION: '?';
LBRACE: '{';
RBRACE: '}';
ARROW: '->';
LPAREN: '(';
RPAREN: ')';
LBRACKET: '[';
RBRACKET: ']';
COMMA: ',';
DOT: '.';
SEMI: ';';

STRING_LITERAL
    : '\'' ( ~'\'' | '\'\'' )* '\''
    ;

INTEGER_VALUE
    : DIGIT+
    ;

DECIMAL_VALUE
    : DIGIT+ '.' DIGIT*
    | '.' DIGIT+
    ;

DOUBLE_VALUE
    : DIGIT+ ('.' DIGIT*)? EXPONENT
    | '.' DIGIT+ EXPONENT
    ;

IDENTIFIER
    : (LETTER | '_') (LETTER | DIGIT | '_' | '@')*
    ;

QUOTED_IDENTIFIER
    : '"' ( ~'"' | '""' )* '"'
    ;

BACKQUOTED_IDENTIFIER
    : '`' ( ~'`' | '``' )* '`'
    ;

fragment EXPONENT: 'E' [+-]? DIGIT+;
fragment DIGIT: [0-9];
fragment LETTER: [A-Z];

SIMPLE_COMMENT: '--' ~[\r\n]* '\r'? '\n'? -> channel(HIDDEN);
BRACKETED_COMMENT: '/*' .*? '*/' -> channel(HIDDEN);
WS: [ \r\n\t]+ -> channel(HIDDEN);

// Any other character is a syntax error reported by the parser with its position.
UNRECOGNIZED: .;
