package dev.ponder.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter.InterpreterScopeClosable;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/**
 * Jinja2's filter block, {@code {% filter trim %}...{% endfilter %}}: renders the body, then applies the
 * filter chain to it. Jinjava has no such tag.
 */
final class FilterBlockTag implements Tag {
    private static final long serialVersionUID = 1L;
    private static final String BODY = "__ponder_filter_block_body__";

    @Override
    public String getName() {
        return "filter";
    }

    @Override
    public String getEndTagName() {
        return "endfilter";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        StringBuilder body = new StringBuilder();
        for (Node child : tagNode.getChildren()) body.append(child.render(interpreter).getValue());
        try (InterpreterScopeClosable scope = interpreter.enterScope()) {
            interpreter.getContext().put(BODY, body.toString());
            Object filtered = interpreter.resolveELExpression(BODY + "|" + tagNode.getHelpers().strip(), tagNode.getLineNumber());
            return PyValues.str(filtered);
        }
    }
}
