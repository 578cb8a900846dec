package dev.ponder.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.TagNode;

/** Stands in for a Jinja2 comment (see {@link JinjaSource}): renders nothing, has no end tag. */
final class CommentTag implements Tag {
    private static final long serialVersionUID = 1L;

    @Override
    public String getName() {
        return JinjaSource.COMMENT_TAG;
    }

    @Override
    public String getEndTagName() {
        return null;
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        return "";
    }
}
