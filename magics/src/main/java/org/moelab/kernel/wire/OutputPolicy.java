package org.moelab.kernel.wire;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How a cell's printed output travels: flushed every {@code flushInterval} (ipykernel: 0.2 s), in messages of at
 * most about {@code maxMessageBytes}, and at most {@code cellLimitBytes} per cell ({@code 0}: no limit).
 */
public record OutputPolicy(Duration flushInterval, int maxMessageBytes, long cellLimitBytes) {
    public static final OutputPolicy DEFAULT = new OutputPolicy(Duration.ofMillis(100), 64 * 1024, 10L * 1024 * 1024);

    public OutputPolicy {
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive, got " + flushInterval);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1, got " + maxMessageBytes);
        }
        if (cellLimitBytes < 0) {
            throw new IllegalArgumentException("cellLimitBytes must be 0 (no limit) or positive, got " + cellLimitBytes);
        }
    }

    /**
     * The defaults with {@code MOELAB_MAX_CELL_OUTPUT} (bytes, or with a k/m/g suffix; 0 = no limit) and
     * {@code MOELAB_OUTPUT_FLUSH_MS} applied.
     */
    public static OutputPolicy fromEnvironment(Map<String, String> env) {
        long limit = DEFAULT.cellLimitBytes();
        String rawLimit = env.get("MOELAB_MAX_CELL_OUTPUT");
        if (rawLimit != null && !rawLimit.isBlank()) {
            limit = parseSize("MOELAB_MAX_CELL_OUTPUT", rawLimit);
        }
        Duration interval = DEFAULT.flushInterval();
        String rawInterval = env.get("MOELAB_OUTPUT_FLUSH_MS");
        if (rawInterval != null && !rawInterval.isBlank()) {
            try {
                interval = Duration.ofMillis(Long.parseLong(rawInterval.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("MOELAB_OUTPUT_FLUSH_MS must be a number of milliseconds, got '"
                        + rawInterval + "'");
            }
        }
        return new OutputPolicy(interval, DEFAULT.maxMessageBytes(), limit);
    }

    static long parseSize(String name, String raw) {
        String text = raw.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (text.endsWith("b")) {
            text = text.substring(0, text.length() - 1);
        }
        char last = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1024L : last == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
            text = text.substring(0, text.length() - 1);
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a size such as 10m, 500k or 0 (no limit), got '" + raw + "'");
        }
    }

    static String describe(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }
}
