package org.moelab.models;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's provenance derived from its builder's declared options, as Tribuo derives it from {@code @Config}
 * fields: every instance field of the builder whose value is plain data (a number, boolean, string, enum, or an
 * array or collection of them), name → value, in declaration order, after {@code "model"}. A field added to a
 * builder is recorded without anyone remembering to; what a model computes from its options (parameter count,
 * effective defaults) it adds itself.
 */
public final class Provenance {
    private Provenance() {}

    /** {@code "model" → modelName}, then every plain-data option of {@code builder}. An unset boxed option is "default". */
    public static Map<String, String> of(String modelName, Object builder) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", modelName);
        for (Field f : builder.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || !plain(f.getType())) continue;
            try {
                f.setAccessible(true);
                m.put(f.getName(), text(f.get(builder)));
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalStateException("Provenance: cannot read option '" + f.getName() + "' of " + builder.getClass().getName(), e);
            }
        }
        return m;
    }

    private static boolean plain(Class<?> t) {
        if (t.isArray()) return plain(t.getComponentType());
        return t.isPrimitive() || Number.class.isAssignableFrom(t) || t == Boolean.class || t == String.class || t.isEnum()
                || Collection.class.isAssignableFrom(t);
    }

    private static String text(Object v) {
        if (v == null) return "default";
        if (v instanceof Enum<?> e) return e.name();
        if (v instanceof int[] a) return Arrays.toString(a);
        if (v instanceof long[] a) return Arrays.toString(a);
        if (v instanceof float[] a) return Arrays.toString(a);
        if (v instanceof double[] a) return Arrays.toString(a);
        if (v instanceof Object[] a) return Arrays.toString(a);
        return String.valueOf(v);
    }
}
