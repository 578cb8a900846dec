package dev.ponder.knowledge.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.engine.PonderException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code date}: calendar arithmetic on years and ISO dates (proleptic Gregorian, years 1 to 9999).
 *
 * <p>Plain form {@code <<date OP A B>>}, JSON form {@code <<date {"op":OP,"from":A,"to":B}>>}:
 * <pre>
 * age 1987 2031                  44           age reached in year 2031 by someone born in 1987
 * age 1987-05-04 2031-01-01      43           completed years on a date
 * years 1987 2031                44           signed difference in years (whole years between two dates)
 * days 2024-01-01 2024-03-01     60           signed difference in days
 * add 2024-01-31 30              2024-03-01   a date plus (or minus) a number of days  (JSON: "date", "days")
 * weekday 2024-03-01             Friday       the day of the week                       (JSON: "date")
 * </pre>
 * A year is 1 to 4 digits, a date is {@code YYYY-MM-DD}; both operands of {@code age}, {@code years} and
 * {@code days} must be of the same kind. Anything else is an error result naming the problem.
 */
public final class DateTool implements Tool {
    /** The tool's name. */
    public static final String NAME = "date";
    /** Largest number of days {@code add} accepts either way (about 10,000 years). */
    public static final long MAX_DAYS = 3_652_500;

    private static final Pattern YEAR = Pattern.compile("[0-9]{1,4}");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern DAYS = Pattern.compile("[+-]?[0-9]{1,9}");
    private static final LocalDate MIN = LocalDate.of(1, 1, 1), MAX = LocalDate.of(9999, 12, 31);

    private static final JsonNode SCHEMA = Json.parse("""
            {"type":"object",
             "properties":{
               "op":{"type":"string","enum":["age","years","days","add","weekday"]},
               "from":{"type":["string","integer"],"description":"year (1987) or ISO date (1987-05-04): birth or start"},
               "to":{"type":["string","integer"],"description":"year or ISO date of the same kind: the end"},
               "date":{"type":"string","description":"ISO date for add and weekday"},
               "days":{"type":"integer","description":"days to add (negative to subtract)"}},
             "required":["op"]}""");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Date arithmetic: age at a year or date, years or days between two years or ISO dates, a date plus some days, the weekday of a date.";
    }

    @Override
    public JsonNode inputSchema() {
        return SCHEMA;
    }

    @Override
    public String usage() {
        return "<<date age BORN AT>>, <<date years FROM TO>>, <<date days FROM TO>>, <<date add DATE DAYS>>, <<date weekday DATE>>";
    }

    /** {@code OP A B} as the JSON arguments object; throws {@link PonderException} on a wrong shape. */
    @Override
    public JsonNode plainArguments(String text) {
        String[] w = text.strip().split("\\s+");
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("op", w[0]);
        switch (w[0]) {
            case "age", "years", "days" -> {
                if (w.length != 3) throw new PonderException("date " + w[0] + " takes two operands: " + w[0] + " FROM TO");
                args.put("from", w[1]).put("to", w[2]);
            }
            case "add" -> {
                if (w.length != 3) throw new PonderException("date add takes a date and a number of days: add 2024-01-31 30");
                args.put("date", w[1]).put("days", w[2]);
            }
            case "weekday" -> {
                if (w.length != 2) throw new PonderException("date weekday takes one date: weekday 2024-03-01");
                args.put("date", w[1]);
            }
            default -> throw new PonderException("unknown date operation '" + w[0] + "' (age, years, days, add, weekday)");
        }
        return args;
    }

    @Override
    public ToolResult call(JsonNode a) {
        try {
            String op = a.path("op").asText();
            return ToolResult.ok(switch (op) {
                case "age" -> age(text(a, "from"), text(a, "to"));
                case "years" -> years(text(a, "from"), text(a, "to"));
                case "days" -> Long.toString(ChronoUnit.DAYS.between(date(text(a, "from")), date(text(a, "to"))));
                case "add" -> add(date(text(a, "date")), text(a, "days"));
                case "weekday" -> date(text(a, "date")).getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
                default -> throw new PonderException("unknown date operation '" + op + "' (age, years, days, add, weekday)");
            });
        } catch (PonderException e) {
            return ToolResult.error(e.getMessage());
        }
    }

    private static String age(String born, String at) {
        if (YEAR.matcher(born).matches() && YEAR.matcher(at).matches()) {
            int b = year(born), z = year(at);
            if (z < b) throw new PonderException("age: " + at + " is before the birth year " + born);
            return Integer.toString(z - b);
        }
        LocalDate b = date(born), z = date(at);
        if (z.isBefore(b)) throw new PonderException("age: " + at + " is before the birth date " + born);
        return Long.toString(ChronoUnit.YEARS.between(b, z));
    }

    private static String years(String from, String to) {
        if (YEAR.matcher(from).matches() && YEAR.matcher(to).matches()) return Integer.toString(year(to) - year(from));
        return Long.toString(ChronoUnit.YEARS.between(date(from), date(to)));
    }

    private static String add(LocalDate date, String days) {
        if (!DAYS.matcher(days).matches()) throw new PonderException("add: '" + days + "' is not a whole number of days");
        long n = Long.parseLong(days);
        if (Math.abs(n) > MAX_DAYS) throw new PonderException("add: more than " + MAX_DAYS + " days");
        LocalDate d = date.plusDays(n);
        if (d.isBefore(MIN) || d.isAfter(MAX)) throw new PonderException("add: the result is outside the years 1 to 9999");
        return d.toString();
    }

    private static String text(JsonNode a, String key) {
        JsonNode v = a.get(key);
        if (v == null || !(v.isTextual() || v.isIntegralNumber())) throw new PonderException("missing \"" + key + "\"");
        return v.asText().strip();
    }

    private static int year(String s) {
        int y = Integer.parseInt(s);
        if (y < 1) throw new PonderException("year " + s + " is before year 1");
        return y;
    }

    private static LocalDate date(String s) {
        if (YEAR.matcher(s).matches()) throw new PonderException("'" + s + "' is a year; this needs an ISO date YYYY-MM-DD (or two years)");
        if (!DATE.matcher(s).matches()) throw new PonderException("'" + s + "' is not an ISO date YYYY-MM-DD");
        try {
            LocalDate d = LocalDate.parse(s);
            if (d.isBefore(MIN)) throw new PonderException("date " + s + " is before year 1");
            return d;
        } catch (DateTimeException e) {
            throw new PonderException("'" + s + "' is not a valid date");
        }
    }
}
