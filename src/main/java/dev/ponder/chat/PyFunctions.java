package dev.ponder.chat;

import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

/** The globals Hugging Face adds to the template environment: {@code raise_exception} and {@code strftime_now}. */
final class PyFunctions {
    private PyFunctions() {}

    static List<ELFunctionDefinition> all() {
        return List.of(
                new ELFunctionDefinition("", "raise_exception", PyFunctions.class, "raiseException", Object.class),
                new ELFunctionDefinition("", "strftime_now", PyFunctions.class, "strftimeNow", Object.class));
    }

    /** {@code raise_exception(message)}: stops rendering with the template's own message. */
    public static Object raiseException(Object message) {
        throw TemplateAbort.raised(PyValues.str(message));
    }

    /** {@code strftime_now(format)}: the render clock's current time in Python's strftime format. */
    public static String strftimeNow(Object format) {
        RenderState state = RenderState.current();
        Clock clock = state != null ? state.clock : Clock.systemDefaultZone();
        return StrftimeFormatter.format(ZonedDateTime.now(clock), PyValues.str(format), Locale.US);
    }
}
