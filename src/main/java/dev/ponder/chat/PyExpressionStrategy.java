package dev.ponder.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * Prints {@code {{ expr }}} as Jinja2 does, with Python's {@code str()}: {@code True}, {@code None},
 * {@code ['a', 1]}, {@code {'k': 'v'}}, undefined as nothing, and no autoescaping (HF's environment has none).
 */
final class PyExpressionStrategy implements ExpressionStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken token, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(token.getExpr(), token.getLineNumber());
        return new RenderedOutputNode(PyValues.str(value));
    }
}
