package dev.ponder.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.interpret.ContextConfigurationIF.ErrorHandlingStrategyIF.TemplateErrorTypeHandlingStrategy;
import com.hubspot.jinjava.interpret.ErrorHandlingStrategy;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.Properties;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeBuilder;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * Jinjava configured to behave like the Jinja2 environment Hugging Face renders chat templates in
 * ({@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)} plus {@code raise_exception},
 * {@code strftime_now} and its own {@code tojson}). Every difference it closes goes through one of jinjava's
 * extension points: configuration (whitespace control, map iteration, recursive macros), the expression
 * factory (Python operators, {@link PyParser}), an EL resolver (Python methods, {@link PyMethodResolver}),
 * replaced tags, filters and tests, and, per render, the context's expression strategy and undefined-name
 * resolver (see {@link #newInterpreter(RenderState)}). The only change to a template's text is what Jinja2's
 * own lexer does first (see {@link JinjaSource}).
 */
final class JinjaEngine extends Jinjava {
    /** One shared engine: its libraries are fixed after construction, and each render gets its own interpreter. */
    static final JinjaEngine INSTANCE = new JinjaEngine();

    private final ExpressionFactory expressionFactory;

    private JinjaEngine() {
        super(config());
        Properties properties = new Properties();
        properties.setProperty(TreeBuilder.class.getName(), PyParser.SyntaxBuilder.class.getName());
        expressionFactory = new ExpressionFactoryImpl(properties, new TruthyTypeConverter());
        registerTag(new PyForTag());
        registerTag(new FilterBlockTag());
        registerTag(new CommentTag());
        PyFilters.all().forEach(this::registerFilter);
        PyTests.all().forEach(this::registerExpTest);
        PyFunctions.all().forEach(this::registerFunction);
    }

    private static JinjavaConfig config() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyMethodResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        return JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(256)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseTrimmingForNotesAndExpressions(true) // {{- x }} strips like {%- %}
                        .withParseWhitespaceControlStrictly(true)
                        .withEvaluateMapKeys(true)                 // {k: v} evaluates k
                        .withIterateOverMapKeys(true)              // for k in dict yields keys
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
    }

    @Override
    public ExpressionFactory getExpressionFactory() {
        return expressionFactory;
    }

    /**
     * An interpreter for one render: prints values with Python's {@code str()}, turns unknown names into
     * {@link Undefined}, stops at the first fatal template error, and carries {@code state}.
     */
    JinjavaInterpreter newInterpreter(RenderState state) {
        JinjavaInterpreter interpreter = newInterpreter();
        var context = interpreter.getContext();
        context.setExpressionStrategy(new PyExpressionStrategy());
        context.setDynamicVariableResolver(Undefined::new);
        context.setErrorHandlingStrategy(ErrorHandlingStrategy.of()
                .withFatalErrorStrategy(TemplateErrorTypeHandlingStrategy.THROW_EXCEPTION)
                .withNonFatalErrorStrategy(TemplateErrorTypeHandlingStrategy.IGNORE));
        context.put(RenderState.KEY, state);
        context.put("none", PyNone.NONE);
        context.put("None", PyNone.NONE);
        return interpreter;
    }
}
