package dev.ponder.learn.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ponder.engine.PonderException;
import dev.ponder.knowledge.tools.Calculator;
import dev.ponder.knowledge.tools.Expr;
import dev.ponder.knowledge.tools.Rational;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class CalculatorTest {
    private static String eval(String e) {
        return Calculator.evaluate(e).toString();
    }

    @Test
    void evaluatesExactlyWithPrecedenceAndAssociativity() {
        assertEquals("44", eval("2031-1987"));
        assertEquals("14", eval("2+3*4"));
        assertEquals("20", eval("(2+3)*4"));
        assertEquals("3", eval("10-4-3"));
        assertEquals("2", eval("100/10/5"));
        assertEquals("7", eval("7/3*3"));
        assertEquals("1/2", eval("1/3+1/6"));
        assertEquals("-7/3", eval("-7/3"));
        assertEquals("2", eval("-3+5"));
        assertEquals("3", eval("1.5*2"));
        assertEquals("24", eval(" 6 / ( 1 - 3 / 4 ) "));
        assertEquals("-6", eval("2*-3"));
        assertEquals("123456789012345678901234567890", eval("123456789012345678901234567890*1"));
    }

    @Test
    void rejectsMalformedExpressionsAndDivisionByZero() {
        for (String bad : new String[] {"", "2+", "(1", "1)", "1 2", "abc", "2**3", "1/0", "1/(2-2)", "3 = 3", "x1", "1..2"}) {
            assertThrows(PonderException.class, () -> Calculator.evaluate(bad), bad);
        }
        assertThrows(PonderException.class, () -> Calculator.evaluate("(".repeat(400) + "1" + ")".repeat(400)));
        assertThrows(PonderException.class, () -> Calculator.evaluate("-".repeat(500) + "1"));
        assertThrows(PonderException.class, () -> Calculator.evaluate("1+".repeat(600) + "1"));
    }

    @Test
    void rationalArithmeticAgreesWithPlainLongArithmetic() {
        Rng rng = new Rng(5);
        for (int i = 0; i < 500; i++) {
            long a = rng.between(-1000, 1000), b = rng.between(-1000, 1000), c = rng.between(1, 50);
            assertEquals(Rational.of(a * b + c), Calculator.evaluate(a + "*" + "(" + b + ")+" + c));
            Rational q = Calculator.evaluate("(" + a + ")/" + c);
            assertEquals(BigInteger.valueOf(a), q.multiply(Rational.of(c)).numerator());
            assertEquals(Rational.of(a), q.multiply(Rational.of(c)));
        }
    }

    @Test
    void printingKeepsMeaningWithFewestParentheses() {
        assertEquals("(100+3)*4", Expr.parse("((100+3)*4)").toString());
        assertEquals("10-(4-3)", Expr.parse("10-(4-3)").toString());
        assertEquals("10-4-3", Expr.parse("(10-4)-3").toString());
        assertEquals("8/(4/2)", Expr.parse("8/(4/2)").toString());
        assertEquals("2*3+4", Expr.parse("(2*3)+4").toString());
        assertEquals("5-(-3)", Expr.parse("5--3").toString());
        // Random trees: printing then parsing gives the same value.
        Rng rng = new Rng(11);
        for (int i = 0; i < 1000; i++) {
            Expr e = randomExpr(rng, 4);
            Rational v;
            try {
                v = e.eval();
            } catch (PonderException divisionByZero) {
                continue;
            }
            assertEquals(v, Expr.parse(e.toString()).eval(), e.toString());
        }
    }

    private static Expr randomExpr(Rng rng, int depth) {
        if (depth == 0 || rng.chance(0.3)) return Expr.Num.of(rng.between(0, 9));
        if (rng.chance(0.1)) return new Expr.Neg(randomExpr(rng, depth - 1));
        return new Expr.Bin(rng.pick('+', '-', '*', '/'), randomExpr(rng, depth - 1), randomExpr(rng, depth - 1));
    }

    @Test
    void rationalParsesItsOwnOutput() {
        for (String s : new String[] {"44", "-3", "7/3", "-7/3", "0"}) assertEquals(s, Rational.parse(s).toString());
        assertEquals("5/4", Rational.parse("1.25").toString());
        assertThrows(NumberFormatException.class, () -> Rational.parse("4x"));
    }
}
