package dev.ponder.knowledge.tools;

import java.math.BigInteger;

/**
 * An exact rational number {@code num/den} in lowest terms with {@code den > 0}. The calculator tool and
 * the countdown verifier compute with these, so {@code 7/3*3} is exactly {@code 7}.
 */
public final class Rational implements Comparable<Rational> {
    public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    private final BigInteger num;
    private final BigInteger den;

    private Rational(BigInteger num, BigInteger den) {
        this.num = num;
        this.den = den;
    }

    /** The integer {@code n}. */
    public static Rational of(long n) {
        return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    /** {@code num/den} reduced to lowest terms; throws {@link ArithmeticException} when {@code den} is 0. */
    public static Rational of(BigInteger num, BigInteger den) {
        if (den.signum() == 0) throw new ArithmeticException("division by zero");
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        BigInteger g = num.gcd(den);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            num = num.divide(g);
            den = den.divide(g);
        }
        if (num.signum() == 0) den = BigInteger.ONE;
        return new Rational(num, den);
    }

    /**
     * Parses {@code 44}, {@code -7}, {@code 7/3}, {@code -1.25}. Throws {@link NumberFormatException}
     * (or {@link ArithmeticException} for a zero denominator) on anything else.
     */
    public static Rational parse(String s) {
        String t = s.strip();
        int slash = t.indexOf('/');
        if (slash >= 0) {
            Rational a = parse(t.substring(0, slash));
            Rational b = parse(t.substring(slash + 1));
            if (!a.isInteger() || !b.isInteger()) throw new NumberFormatException("not a fraction: " + s);
            return a.divide(b);
        }
        if (!t.matches("-?[0-9]+(\\.[0-9]+)?")) throw new NumberFormatException("not a number: " + s);
        int dot = t.indexOf('.');
        if (dot < 0) return new Rational(new BigInteger(t), BigInteger.ONE);
        String digits = t.substring(0, dot) + t.substring(dot + 1);
        return of(new BigInteger(digits), BigInteger.TEN.pow(t.length() - dot - 1));
    }

    public BigInteger numerator() {
        return num;
    }

    public BigInteger denominator() {
        return den;
    }

    public boolean isInteger() {
        return den.equals(BigInteger.ONE);
    }

    public int signum() {
        return num.signum();
    }

    public Rational add(Rational o) {
        return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    public Rational subtract(Rational o) {
        return of(num.multiply(o.den).subtract(o.num.multiply(den)), den.multiply(o.den));
    }

    public Rational multiply(Rational o) {
        return of(num.multiply(o.num), den.multiply(o.den));
    }

    /** {@code this / o}; throws {@link ArithmeticException} when {@code o} is zero. */
    public Rational divide(Rational o) {
        if (o.num.signum() == 0) throw new ArithmeticException("division by zero");
        return of(num.multiply(o.den), den.multiply(o.num));
    }

    public Rational negate() {
        return new Rational(num.negate(), den);
    }

    @Override
    public int compareTo(Rational o) {
        return num.multiply(o.den).compareTo(o.num.multiply(den));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rational r && num.equals(r.num) && den.equals(r.den);
    }

    @Override
    public int hashCode() {
        return num.hashCode() * 31 + den.hashCode();
    }

    /** {@code 44}, {@code -7} or {@code 7/3}: the form the calculator tool inserts into text. */
    @Override
    public String toString() {
        return isInteger() ? num.toString() : num + "/" + den;
    }
}
