package dev.ponder.chat;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.io.IOException;

/**
 * Python's {@code None}. Jinjava uses Java {@code null} for both "undefined" and "none"; Jinja2 does not
 * (None is defined, prints as {@code None}, cannot be iterated or added to a string), and real templates
 * depend on the difference ({@code tools is not none}, {@code content is none}). JSON nulls in the
 * conversation and the template literal {@code none} become this object; Java {@code null} keeps meaning
 * undefined.
 */
final class PyNone implements HasObjectTruthValue, PyishSerializable {
    static final PyNone NONE = new PyNone();

    private PyNone() {}

    @Override
    public boolean getObjectTruthValue() {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws IOException {
        return (T) appendable.append("None");
    }

    @Override
    public String toString() {
        return "None";
    }
}
