package dev.ponder.chat;

import com.hubspot.jinjava.util.ForLoop;
import java.util.List;

/**
 * The {@code loop} variable of a for loop: jinjava's (so {@code break} and {@code continue} reach it) plus
 * Jinja2's {@code loop.previtem} and {@code loop.nextitem}, which undefined at the ends.
 */
public final class PyLoop extends ForLoop {
    private final List<Object> items;
    private int position = -1;

    PyLoop(List<Object> items) {
        super(items.iterator(), items.size());
        this.items = items;
    }

    @Override
    public Object next() {
        Object item = super.next();
        position++;
        return item;
    }

    /** The previous item, undefined on the first iteration. */
    public Object getPrevitem() {
        return position > 0 ? items.get(position - 1) : new Undefined("loop.previtem");
    }

    /** The next item, undefined on the last iteration. */
    public Object getNextitem() {
        return position + 1 < items.size() ? items.get(position + 1) : new Undefined("loop.nextitem");
    }
}
