package dev.ponder.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jinja2 semantics one snippet at a time. Each expected text (or {@code ERROR Class: message}) is what
 * Jinja2 3.1 renders in Hugging Face's environment (ImmutableSandboxedEnvironment, trim_blocks,
 * lstrip_blocks, loopcontrols, HF's tojson, raise_exception, strftime_now on 26 Jul 2024).
 */
class ChatTemplateSemanticsTest {
    private static final Clock DAY = Clock.fixed(Instant.parse("2024-07-26T12:00:00Z"), ZoneOffset.UTC);

    static Arguments row(String template, String variablesJson, String expected) {
        return Arguments.of(template, variablesJson, expected);
    }

    static Stream<Arguments> snippets() {
        return Stream.of(
                row("{{ none }}|{{ true }}|{{ [1, none, 'a'] }}|{{ {'a': 1.5} }}|{{ 1.0 }}|{{ 1e20 }}|{{ 0.0001 }}|{{ 0.00001 }}",
                        "{}",
                        "None|True|[1, None, 'a']|{'a': 1.5}|1.0|1e+20|0.0001|1e-05"),
                row("{{ '  x  '.strip() }}|{{ 'a b  c'.split() }}|{{ 'a,b'.split(',') }}|{{ 'x</think>y'.split('</think>')[-1] }}|{{ 'abc'[-1] }}|{{ 'abc'[1:] }}|{{ 'a,b,c'.split(',', 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}",
                        "{}",
                        "x|['a', 'b', 'c']|['a', 'b']|y|c|bc|['a', 'b,c']|['a,b', 'c']"),
                row("{{ 'Hi. '|trim }}|{{ 'x'.endswith('.') }}|{{ 'x'.startswith(('a', 'x')) }}|{{ 'Hello World'.title() }}|{{ 'hELLO'|capitalize }}|{{ 'ab'.upper() }}|{{ 'a-b'.replace('-', '+') }}",
                        "{}",
                        "Hi.|False|True|Hello World|Hello|AB|a+b"),
                row("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{% for k, v in d|items %}{{ k }}{% endfor %}|{{ d.get('z', 3) }}|{{ d.get('z') }}|{{ d.keys()|list }}|{{ d|list }}|{% for k in d %}{{ k }}{% endfor %}",
                        "{\"d\": {\"a\": 1, \"b\": null}}",
                        "a=1;b=None;|ab|3|None|['a', 'b']|['a', 'b']|ab"),
                row("{% for x in [1, 2, 3, 4] if x % 2 == 0 %}{{ x }}/{{ loop.length }}{% if not loop.last %},{% endif %}{% endfor %}",
                        "{}",
                        "2/2,4/2"),
                row("{% for x in [1, 2, 3, 4, 5] %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}",
                        "{}",
                        "13"),
                row("{% set ns = namespace(n=0) %}{% for x in 'abc' %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}",
                        "{}",
                        "3"),
                row("{{ {'a': [1, 2.5, none, true], 'b': '\u00e9\"\\n'}|tojson }}|{{ {'a': [1, {}], 'b': []}|tojson(indent=2) }}|{{ 'x'|tojson }}|{{ [1, '\u00e9']|tojson(ensure_ascii=true) }}|{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }}",
                        "{}",
                        "{\"a\": [1, 2.5, null, true], \"b\": \"\u00e9\\\"\\n\"}|{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}|\"x\"|[1, \"\\u00e9\"]|{\"a\": 2, \"b\": 1}"),
                row("{{ 's' is string }}{{ 's' is iterable }}{{ none is none }}{{ none is defined }}{{ x is defined }}{{ 3 is number }}{{ d is mapping }}{{ x is none }}{{ d is iterable }}{{ 3 is iterable }}",
                        "{\"d\": {}}",
                        "TrueTrueTrueTrueFalseTrueTrueFalseTrueFalse"),
                row("{{ 'a' not in ['b'] }}{{ not 'a' in ['a'] }}{{ 'tool_calls' in m }}{{ 'role' in m }}{{ 'ol' in 'role' }}",
                        "{\"m\": {\"role\": \"user\"}}",
                        "TrueFalseFalseTrueTrue"),
                row("[{{ x }}]|{{ x|length }}|{{ x|default('d') }}|{{ ''|default('e', true) }}|{{ none|default('f') }}|{{ x|trim }}|{{ none|trim }}",
                        "{}",
                        "[]|0|d|e|None||None"),
                row("{{ 'a\\nb\\n\\nc'|indent(2) }}|{{ 'a\\nb'|indent(2, first=true) }}|{{ 'a\\nb'|indent }}",
                        "{}",
                        "a\n  b\n\n  c|  a\n  b|a\n    b"),
                row("{% macro f(n, sep='-') %}{% if n > 0 %}{{ n }}{{ sep }}{{ f(n - 1, sep) }}{% endif %}{% endmacro %}{{ f(3) }}|{{ f(2, sep='+') }}",
                        "{}",
                        "3-2-1-|2+1+"),
                row("{{ '<b>'|safe + '<i>' }}|{{ '<i>' + '<b>'|safe }}|{{ '<b>' ~ '<i>'|safe }}",
                        "{}",
                        "<b>&lt;i&gt;|&lt;i&gt;<b>|<b><i>"),
                row("{{ 'ab' * 2 }}|{{ '-' * 0 }}|{{ 3 * 'x' }}|{{ [1] * 2 }}|{{ 2 * 3 }}|{{ 2 * 1.5 }}",
                        "{}",
                        "abab||xxx|[1, 1]|6|3.0"),
                row("{% filter upper %}ab{{ 'c' }}{% endfilter %}|{% filter trim %}  x  {% endfilter %}",
                        "{}",
                        "ABC|x"),
                row("{{ 7 // 2 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 7 % 3 }} {{ -3 }} {{ 1 + 2 }} {{ 1 + 2.5 }} {{ 10 - 4 }} {{ true + 1 }}",
                        "{}",
                        "3 3.5 1024 1 -3 3 3.5 6 2"),
                row("{{ [1, 2, 3]|join(', ') }}|{{ [1, none, true]|join }}|{{ ['a', 'b']|map('upper')|join }}|{{ [1, 2]|list }}|{{ 'ab'|list }}",
                        "{}",
                        "1, 2, 3|1NoneTrue|AB|[1, 2]|['a', 'b']"),
                row("{{ ms|selectattr('role', 'equalto', 'user')|list|length }}|{{ ms|map(attribute='role')|join(',') }}|{{ ms|rejectattr('role', 'equalto', 'user')|list|length }}|{{ ms|first }}|{{ (ms|last).role }}",
                        "{\"ms\": [{\"role\": \"user\"}, {\"role\": \"assistant\"}, {\"role\": \"user\"}]}",
                        "2|user,assistant,user|1|{'role': 'user'}|user"),
                row("{{ 1 ~ none ~ true }}|{% set x %}a{{ 1 }}{% endset %}{{ x }}|[{{ 'x' if false }}]|{{ 'y' if false else 'z' }}|{% set k = 'a' %}{{ {k: 1} }}",
                        "{}",
                        "1NoneTrue|a1|[]|z|{'a': 1}"),
                row("{% for m in ms %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.revindex }}{% if loop.previtem is defined %}<{{ loop.previtem }}{% endif %}{% if loop.nextitem is defined %}>{{ loop.nextitem }}{% endif %};{% endfor %}",
                        "{\"ms\": [\"a\", \"b\", \"c\"]}",
                        "10TrueFalse3>b;21FalseFalse2<a>c;32FalseTrue1<b;"),
                row("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d') }}|{{ strftime_now('%B %d, %A') }}",
                        "{}",
                        "26 Jul 2024|2024-07-26|July 26, Friday"),
                row("<ul>\n  {% for x in xs %}\n    <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n{%- if true %}\n  X\n{% endif %}\n{# c #}\nY {{- ' Z ' -}} W\n",
                        "{\"xs\": [1, 2]}",
                        "<ul>\n    <li>1</li>\n    <li>2</li>\n</ul>  X\nY Z W"),
                row("{{ c is none }}|{{ c is not none }}|{% if c %}T{% else %}F{% endif %}|{{ m.content is none }}|{{ m.tool_calls is defined }}|{{ m['content'] }}",
                        "{\"c\": null, \"m\": {\"content\": null}}",
                        "True|False|F|True|False|None"),
                row("{{ 'ab'|length }}|{{ [1,2]|count }}|{{ {'a':1}|length }}|{{ 'x'|string }}|{{ 12|string }}|{{ none|string }}|{{ [none]|string }}",
                        "{}",
                        "2|2|1|x|12|None|[None]"),
                row("{{ 'a' + 1 }}",
                        "{}",
                        "ERROR TypeError: can only concatenate str (not \"int\") to str"),
                row("{% for x in none %}{% endfor %}",
                        "{}",
                        "ERROR TypeError: 'NoneType' object is not iterable"),
                row("{{ 'a' + x }}",
                        "{}",
                        "ERROR UndefinedError: 'x' is undefined"),
                row("{{ [].append(1) }}",
                        "{}",
                        "ERROR SecurityError: access to attribute 'append' of 'list' object is unsafe."),
                row("{{ raise_exception('boom') }}",
                        "{}",
                        "ERROR TemplateError: boom"),
                row("{{ x.y }}",
                        "{}",
                        "ERROR UndefinedError: 'x' is undefined"),
                row("{% for a, b in [[1, 2, 3]] %}{% endfor %}",
                        "{}",
                        "ERROR ValueError: too many values to unpack (expected 2)"),
                row("{{ none|length }}",
                        "{}",
                        "ERROR TypeError: object of type 'NoneType' has no len()"),
                row("{% for x in 3 %}{% endfor %}",
                        "{}",
                        "ERROR TypeError: 'int' object is not iterable"),
                row("{{ none + 'a' }}",
                        "{}",
                        "ERROR TypeError: unsupported operand type(s) for +: 'NoneType' and 'str'"),
                row("{% if true %}{{ raise_exception('first') }}{% endif %}{{ raise_exception('second') }}",
                        "{}",
                        "ERROR TemplateError: first"),
                row("{% macro m() %}{{ raise_exception('in macro') }}{% endmacro %}x{{ m() }}",
                        "{}",
                        "ERROR TemplateError: in macro"),
                row("{{ 'x'|tojson(indent=2) }}{{ x|tojson }}",
                        "{}",
                        "ERROR TypeError: Object of type Undefined is not JSON serializable"),
                row("{% macro f() -%}\n{# c #}\n    {\n{%- endmacro %}[\n{{ f() }}",
                        "{}",
                        "[\n    {"),
                row("{% macro f() -%}\n    {\n{%- endmacro %}[\n{{ f() }}",
                        "{}",
                        "[\n{"),
                row("a\n{# c #}\n    b",
                        "{}",
                        "a\n    b"),
                row("a -%}\n{# c #}\n    b",
                        "{}",
                        "a -%}\n    b"),
                row("{% if true -%}\n{# c #}\n    b{% endif %}",
                        "{}",
                        "    b"),
                row("{{ not [1]|length == 1 }}|{{ not 1 == 2 and true }}|{{ not x is defined or 1 }}|{{ not 'a' in 'abc' }}",
                        "{}",
                        "False|True|True|False"),
                row("{% if true -%}\n{% if true %}{% endif %}\n    b{% endif %}",
                        "{}",
                        "    b"));
    }

    @ParameterizedTest
    @MethodSource("snippets")
    void rendersLikeJinja2(String template, String variablesJson, String expected) throws Exception {
        Map<String, Object> variables = new ObjectMapper().readValue(variablesJson, new TypeReference<>() {});
        String got;
        try {
            got = new ChatTemplate(template, "<s>", "</s>", DAY).render(List.of(), null, false, variables);
        } catch (ChatTemplateException e) {
            got = "ERROR " + e.kind().pythonName() + ": " + e.detail();
        }
        assertEquals(expected, got, template);
    }
}
