package dev.ponder.chat;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.StringConcatOperator;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner.ScanException;
import jinjava.de.odysseus.el.tree.impl.Scanner.Symbol;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

/**
 * Jinjava's expression parser with Python's {@code +}, {@code *} and {@code ~} (see {@link PyOperators}).
 * Precedence follows Jinja2: filters and {@code is} tests bind to the value they follow (jinjava's "legacy"
 * order), and {@code not} sits between {@code and} and the comparisons, so {@code not x is defined} means
 * {@code not (x is defined)} and {@code not xs|length == 1} means {@code not (xs|length == 1)}.
 */
final class PyParser extends ExtendedParser {
    PyParser(Builder context, String input) {
        super(context, input);
        putExtensionHandler(StringConcatOperator.TOKEN, new Parser.ExtensionHandler(Parser.ExtensionPoint.ADD) {
            @Override
            public AstNode createAstNode(AstNode... children) {
                return createAstBinary(children[0], children[1], PyOperators.CONCAT);
            }
        });
    }

    /** Jinja2's {@code and}, whose operands are {@link #not} expressions. */
    @Override
    protected AstNode and(boolean required) throws ScanException, ParseException {
        AstNode v = not(required);
        if (v == null) return null;
        while (true) {
            switch (getToken().getSymbol()) {
                case AND -> {
                    consumeToken();
                    v = createAstBinary(v, not(true), AstBinary.AND);
                }
                case EXTENSION -> {
                    Parser.ExtensionHandler handler = getExtensionHandler(getToken());
                    if (handler == null || handler.getExtensionPoint() != Parser.ExtensionPoint.AND) return v;
                    consumeToken();
                    v = handler.createAstNode(v, not(true));
                }
                default -> {
                    return v;
                }
            }
        }
    }

    /**
     * Jinja2's {@code not}: it binds looser than comparisons, so {@code not xs|length == 1} means
     * {@code not (xs|length == 1)}; in EL it is a unary operator binding tighter than anything.
     */
    private AstNode not(boolean required) throws ScanException, ParseException {
        if (getToken().getSymbol() == Symbol.NOT) {
            consumeToken();
            return createAstUnary(not(true), AstUnary.NOT);
        }
        return eq(required);
    }

    @Override
    protected AstNode add(boolean required) throws ScanException, ParseException {
        AstNode v = mul(required);
        if (v == null) return null;
        while (true) {
            switch (getToken().getSymbol()) {
                case PLUS -> {
                    consumeToken();
                    v = createAstBinary(v, mul(true), PyOperators.ADD);
                }
                case MINUS -> {
                    consumeToken();
                    v = createAstBinary(v, mul(true), AstBinary.SUB);
                }
                case EXTENSION -> {
                    Parser.ExtensionHandler handler = getExtensionHandler(getToken());
                    if (handler == null || handler.getExtensionPoint() != Parser.ExtensionPoint.ADD) return v;
                    consumeToken();
                    v = handler.createAstNode(v, mul(true));
                }
                default -> {
                    return v;
                }
            }
        }
    }

    @Override
    protected AstNode mul(boolean required) throws ScanException, ParseException {
        AstNode v = unary(required);
        if (v == null) return null;
        while (true) {
            switch (getToken().getSymbol()) {
                case MUL -> {
                    consumeToken();
                    v = createAstBinary(v, unary(true), PyOperators.MUL);
                }
                case DIV -> {
                    consumeToken();
                    v = createAstBinary(v, unary(true), AstBinary.DIV);
                }
                case MOD -> {
                    consumeToken();
                    v = createAstBinary(v, unary(true), AstBinary.MOD);
                }
                case EXTENSION -> {
                    Parser.ExtensionHandler handler = getExtensionHandler(getToken());
                    if (handler == null || handler.getExtensionPoint() != Parser.ExtensionPoint.MUL) return v;
                    consumeToken();
                    v = handler.createAstNode(v, unary(true));
                }
                default -> {
                    return v;
                }
            }
        }
    }

    /** The tree builder jinjava's expression factory instantiates by class name; it creates a {@link PyParser}. */
    public static final class SyntaxBuilder extends ExtendedSyntaxBuilder {
        private static final long serialVersionUID = 1L;

        public SyntaxBuilder() {}

        public SyntaxBuilder(Builder.Feature... features) {
            super(features);
        }

        @Override
        protected Parser createParser(String expression) {
            return new PyParser(this, expression);
        }
    }
}
