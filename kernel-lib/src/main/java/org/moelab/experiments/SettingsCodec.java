package org.moelab.experiments;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An experiment's settings record as named string values and back: the plain-data form of settings an
 * {@link ExperimentSpec} carries (serialisable, hashable, and enough to rebuild the record). Component types: String,
 * the primitives, enums, int[] and lists of Long, Integer, Float, Double, String or an enum; lists are written
 * comma-separated, floats in Java's shortest round-tripping form.
 */
public final class SettingsCodec {
    /** One declared setting: its name, type, meaning, sensible range and the presets' values. */
    public record Setting(String name, String type, String description, String range, String quick, String full) {}

    private SettingsCodec() {}

    /** The record's components as name → canonical string, in declaration order. */
    public static Map<String, String> toMap(Record settings) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : settings.getClass().getRecordComponents()) out.put(c.getName(), format(value(c, settings)));
        return out;
    }

    /** Rebuilds a settings record from name → value; every component must be present, nothing else may be. */
    public static <R extends Record> R fromMap(Class<R> type, Map<String, String> values) {
        RecordComponent[] cs = type.getRecordComponents();
        for (String name : values.keySet()) {
            if (Arrays.stream(cs).noneMatch(c -> c.getName().equals(name))) {
                throw new IllegalArgumentException(type.getSimpleName() + ": unknown setting '" + name + "'; settings: " + names(cs));
            }
        }
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            String v = values.get(cs[i].getName());
            if (v == null) throw new IllegalArgumentException(type.getSimpleName() + ": setting '" + cs[i].getName() + "' is missing");
            types[i] = cs[i].getType();
            try {
                args[i] = parse(cs[i].getType(), cs[i].getGenericType(), v);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(type.getSimpleName() + ": setting " + cs[i].getName() + " = '" + v + "' is not a " + cs[i].getGenericType().getTypeName()
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
            }
            Option declared = cs[i].getAnnotation(Option.class);
            if (declared != null && !NumericRange.of(declared.range()).admitsAll(args[i])) {
                throw new IllegalArgumentException(type.getSimpleName() + ": setting " + cs[i].getName() + " = '" + v + "' is outside its range " + declared.range());
            }
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            // The record's own check of its values (a compact constructor) already names the setting: pass it on.
            if (e.getCause() instanceof IllegalArgumentException bad) throw bad;
            throw new IllegalStateException(type.getSimpleName() + ": cannot rebuild the settings record", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + ": cannot rebuild the settings record", e);
        }
    }

    /** A copy of {@code settings} with one setting changed (the string form of its value, or the value itself). */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R settings, String name, Object value) {
        Map<String, String> m = toMap(settings);
        if (!m.containsKey(name)) throw new IllegalArgumentException(settings.getClass().getSimpleName() + ": unknown setting '" + name + "'; settings: " + m.keySet());
        m.put(name, value instanceof String s ? s : format(value));
        return fromMap((Class<R>) settings.getClass(), m);
    }

    /** A copy with several settings changed: {@code with(s, "steps", 40, "evalEvery", 10)}. */
    public static <R extends Record> R with(R settings, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("SettingsCodec.with: pairs of name and value expected");
        R out = settings;
        for (int i = 0; i < namesAndValues.length; i += 2) out = with(out, (String) namesAndValues[i], namesAndValues[i + 1]);
        return out;
    }

    /** Every setting of a settings record type with its {@link Option} declaration and the two presets' values. */
    public static List<Setting> declared(Record quick, Record full) {
        Map<String, String> q = toMap(quick), f = toMap(full);
        List<Setting> out = new ArrayList<>();
        for (RecordComponent c : quick.getClass().getRecordComponents()) {
            Option o = c.getAnnotation(Option.class);
            out.add(new Setting(c.getName(), c.getGenericType().getTypeName().replaceAll("[a-z0-9_.]+\\.", ""),
                    o == null ? "" : o.description(), o == null ? "" : o.range(), q.get(c.getName()), f.get(c.getName())));
        }
        return out;
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String format(Object v) {
        if (v == null) throw new IllegalArgumentException("SettingsCodec: null settings are not data");
        if (v instanceof Enum<?> e) return e.name();
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(format(o));
            return String.join(",", parts);
        }
        if (v.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) parts.add(format(Array.get(v, i)));
            return String.join(",", parts);
        }
        return String.valueOf(v);
    }

    private static Object parse(Class<?> type, Type generic, String v) {
        String s = v.trim();
        if (type == String.class) return v;
        if (type == int.class || type == Integer.class) return Integer.parseInt(s);
        if (type == long.class || type == Long.class) return Long.parseLong(s);
        if (type == float.class || type == Float.class) return Float.parseFloat(s);
        if (type == double.class || type == Double.class) return Double.parseDouble(s);
        if (type == boolean.class || type == Boolean.class) {
            if (!s.equals("true") && !s.equals("false")) throw new IllegalArgumentException("not a boolean: " + s);
            return Boolean.parseBoolean(s);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) if (((Enum<?>) constant).name().equals(s)) return constant;
            throw new IllegalArgumentException("'" + s + "' is none of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList());
        }
        if (type == int[].class) return s.isEmpty() ? new int[0] : Arrays.stream(s.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        if (type == List.class && generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> element) {
            List<Object> out = new ArrayList<>();
            if (!s.isEmpty()) for (String part : s.split(",")) out.add(parse(element, element, part));
            return List.copyOf(out);
        }
        throw new IllegalArgumentException("unsupported setting type " + generic.getTypeName());
    }

    /**
     * The numeric part of an {@link Option#range()} that can be checked without the other settings: {@code 1..256},
     * {@code 10..} (no upper end), {@code (0, 1]} / {@code [0, 1)} intervals, {@code >= 0}, {@code > 0}; whatever
     * follows it ({@code ", divisible by heads"}) and ranges that name another setting ({@code 1..steps} checks only its
     * lower end, {@code > length} nothing) are left to the experiment's own checks.
     */
    record NumericRange(double low, boolean lowOpen, double high, boolean highOpen) {
        private static final String NUMBER = "(-?\\d+(?:\\.\\d+)?(?:e-?\\d+)?)";
        private static final Pattern DOTS = Pattern.compile("^" + NUMBER + "\\.\\.(" + NUMBER + ")?.*");
        private static final Pattern INTERVAL = Pattern.compile("^([\\[(])\\s*" + NUMBER + "\\s*,\\s*" + NUMBER + "\\s*([\\])]).*");
        private static final Pattern AT_LEAST = Pattern.compile("^(?:any )?(>=|>)\\s*" + NUMBER + "$");
        static final NumericRange ANY = new NumericRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

        static NumericRange of(String range) {
            String r = range.trim();
            Matcher m;
            if ((m = DOTS.matcher(r)).matches()) {
                return new NumericRange(Double.parseDouble(m.group(1)), false, m.group(3) == null ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(3)), false);
            }
            if ((m = INTERVAL.matcher(r)).matches()) {
                return new NumericRange(Double.parseDouble(m.group(2)), m.group(1).equals("("), Double.parseDouble(m.group(3)), m.group(4).equals(")"));
            }
            if ((m = AT_LEAST.matcher(r)).matches()) return new NumericRange(Double.parseDouble(m.group(2)), m.group(1).equals(">"), Double.POSITIVE_INFINITY, false);
            return ANY;
        }

        /** Whether every number in {@code value} (a number, an int[] or a list) lies in the range; non-numbers pass. */
        boolean admitsAll(Object value) {
            if (value instanceof Number n) return admits(n.doubleValue());
            if (value instanceof int[] a) return Arrays.stream(a).allMatch(this::admits);
            if (value instanceof List<?> l) return l.stream().allMatch(this::admitsAll);
            return true;
        }

        private boolean admits(double x) {
            return (lowOpen ? x > low : x >= low) && (highOpen ? x < high : x <= high);
        }
    }

    private static String names(RecordComponent[] cs) {
        return Arrays.stream(cs).map(RecordComponent::getName).toList().toString();
    }
}
