package dev.ponder.chat;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.io.IOException;

/**
 * Jinja2's {@code Undefined} for a name the template reads but nobody defined: it prints as nothing, is
 * false, iterates as empty, and raises {@code UndefinedError} when used in arithmetic, concatenation or
 * attribute access. Jinjava would hand the template a bare {@code null}; this object keeps the name so the
 * error can say which one ({@code 'functions' is undefined}).
 */
final class Undefined implements HasObjectTruthValue, PyishSerializable {
    private final String name;

    Undefined(String name) {
        this.name = name;
    }

    /** The Jinja2-style message for using this value, e.g. {@code 'functions' is undefined}. */
    String message() {
        return name == null ? "value is undefined" : "'" + name + "' is undefined";
    }

    @Override
    public boolean getObjectTruthValue() {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws IOException {
        return (T) appendable;
    }

    @Override
    public String toString() {
        return "";
    }
}
