package dev.ponder.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter.InterpreterScopeClosable;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.tuple.Pair;

/**
 * Jinja2's {@code for} loop: iterates with Python's rules (a str yields characters, a dict its keys,
 * iterating None or a number is a TypeError, undefined yields nothing), supports the filter clause
 * {@code for x in xs if cond} (with {@code loop.length} counting only the kept items) and unpacking
 * {@code for k, v in d.items()}. Jinjava's own loop silently iterates None as nothing and ignores the
 * filter clause.
 */
final class PyForTag extends ForTag {
    private static final long serialVersionUID = 1L;

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        Pair<List<String>, String> varsAndExpression = getLoopVarsAndExpression((TagToken) tagNode.getMaster());
        List<String> vars = varsAndExpression.getLeft();
        String[] iterableAndCondition = splitCondition(varsAndExpression.getRight());
        if (iterableAndCondition[0].matches("(?s).*\\brecursive\\s*$")) {
            throw new TemplateAbort(ChatTemplateException.Kind.SYNTAX, "recursive for loops are not supported");
        }
        Object iterable = interpreter.resolveELExpression(iterableAndCondition[0], tagNode.getLineNumber());
        List<Object> items = PyValues.iterate(iterable);
        if (iterableAndCondition[1] != null) {
            items = keep(items, vars, iterableAndCondition[1], tagNode, interpreter);
        }
        PyLoop loop = new PyLoop(items);
        StringBuilder out = new StringBuilder();
        try (InterpreterScopeClosable scope = interpreter.enterScope()) {
            interpreter.getContext().put(LOOP, loop);
            while (loop.hasNext()) {
                bind(vars, loop.next(), interpreter);
                for (Node child : tagNode.getChildren()) {
                    out.append(child.render(interpreter).getValue());
                    if (loop.isContinued()) break;
                }
            }
        }
        return out.toString();
    }

    private static List<Object> keep(List<Object> items, List<String> vars, String condition, TagNode tagNode,
                                     JinjavaInterpreter interpreter) {
        List<Object> kept = new ArrayList<>();
        for (Object item : items) {
            try (InterpreterScopeClosable scope = interpreter.enterScope()) {
                bind(vars, item, interpreter);
                if (PyValues.truthy(interpreter.resolveELExpression(condition, tagNode.getLineNumber()))) kept.add(item);
            }
        }
        return kept;
    }

    /** Assigns one item to the loop variables, unpacking it when there are several. */
    private static void bind(List<String> vars, Object item, JinjavaInterpreter interpreter) {
        Object value = item == null ? new Undefined(null) : interpreter.wrap(item);
        if (vars.size() == 1) {
            interpreter.getContext().put(vars.get(0), value);
            return;
        }
        List<Object> parts = PyValues.iterate(value);
        if (parts.size() != vars.size()) {
            throw TemplateAbort.valueError(parts.size() < vars.size()
                    ? "not enough values to unpack (expected " + vars.size() + ", got " + parts.size() + ")"
                    : "too many values to unpack (expected " + vars.size() + ")");
        }
        for (int i = 0; i < vars.size(); i++) {
            Object part = parts.get(i);
            interpreter.getContext().put(vars.get(i), part == null ? PyNone.NONE : interpreter.wrap(part));
        }
    }

    /**
     * Splits {@code xs if cond} at the first {@code if} outside quotes and brackets. Jinja2 does not allow a
     * conditional expression there without parentheses, so that {@code if} always starts the filter.
     */
    static String[] splitCondition(String expression) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && expression.startsWith("if", i)
                    && i > 0 && Character.isWhitespace(expression.charAt(i - 1))
                    && i + 2 < expression.length() && Character.isWhitespace(expression.charAt(i + 2))) {
                return new String[] {expression.substring(0, i).strip(), expression.substring(i + 2).strip()};
            }
        }
        return new String[] {expression.strip(), null};
    }
}
