package io.sparkaistore.source.options;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.network.util.JavaUtils;

/**
 * One option of the {@code ais} source: its name, which operations take it, its default (as a user
 * would write it, and typed), what it does, and how a value is read and checked. Its {@link
 * #toString()} is its name, so that messages can name it.
 *
 * @param <T> the type of its values
 */
public final class AisOption<T> {
  /** Which operations take an option: a read refuses write options and a write read options. */
  public enum Scope {
    /** How to reach AIS: reads and writes. */
    CONNECTION,
    /** What is read or written, e.g. the path and the layout: reads and writes. */
    SHARED,
    READ,
    WRITE
  }

  /**
   * Reads a value that is present and not blank, or fails naming the option, the value and what is
   * allowed.
   */
  @FunctionalInterface
  interface Reader<T> {
    T read(String name, String value);
  }

  private final String name;
  private final Scope scope;
  private final String defaultText;
  private final T defaultValue;
  private final String doc;
  private final Reader<T> reader;

  private AisOption(
      String name, Scope scope, String defaultText, T defaultValue, String doc, Reader<T> reader) {
    this.name = name;
    this.scope = scope;
    this.defaultText = defaultText;
    this.defaultValue = defaultValue;
    this.doc = doc;
    this.reader = reader;
  }

  /**
   * An option whose default is not a value of its own (it comes from the environment or the
   * session).
   */
  static <T> AisOption<T> withoutDefault(
      String name, Scope scope, String defaultText, String doc, Reader<T> reader) {
    return new AisOption<>(name, scope, defaultText, null, doc, reader);
  }

  /** An option whose default is {@code defaultText} read as a value would be. */
  static <T> AisOption<T> of(
      String name, Scope scope, String defaultText, String doc, Reader<T> reader) {
    return new AisOption<>(name, scope, defaultText, reader.read(name, defaultText), doc, reader);
  }

  static AisOption<String> text(String name, Scope scope, String defaultText, String doc) {
    return withoutDefault(name, scope, defaultText, doc, (n, v) -> v);
  }

  static AisOption<Boolean> bool(String name, Scope scope, String defaultText, String doc) {
    Reader<Boolean> reader =
        (n, v) -> {
          String lower = v.toLowerCase(Locale.ROOT);
          if (!lower.equals("true") && !lower.equals("false")) {
            throw invalid(n, v, "true or false");
          }
          return lower.equals("true");
        };
    boolean typed = "true".equals(defaultText) || "false".equals(defaultText);
    return typed
        ? of(name, scope, defaultText, doc, reader)
        : withoutDefault(name, scope, defaultText, doc, reader);
  }

  static AisOption<Integer> positiveInt(String name, Scope scope, String defaultText, String doc) {
    return intAtLeast(name, scope, defaultText, doc, 1, "a positive integer");
  }

  static AisOption<Integer> nonNegativeInt(
      String name, Scope scope, String defaultText, String doc) {
    return intAtLeast(name, scope, defaultText, doc, 0, "an integer >= 0");
  }

  private static AisOption<Integer> intAtLeast(
      String name, Scope scope, String defaultText, String doc, int min, String allowed) {
    Reader<Integer> reader =
        (n, v) -> {
          try {
            int i = Integer.parseInt(v);
            if (i >= min) {
              return i;
            }
          } catch (NumberFormatException e) {
            // reported below
          }
          throw invalid(n, v, allowed);
        };
    boolean typed = defaultText.chars().allMatch(Character::isDigit);
    return typed
        ? of(name, scope, defaultText, doc, reader)
        : withoutDefault(name, scope, defaultText, doc, reader);
  }

  /** A size in Spark's syntax (512k, 64m, 1g) from {@code min} bytes to {@code max} bytes. */
  static AisOption<Long> bytes(
      String name, Scope scope, String defaultText, long min, long max, String doc) {
    return of(
        name,
        scope,
        defaultText,
        doc,
        (n, v) -> {
          long size;
          try {
            size = JavaUtils.byteStringAsBytes(v);
          } catch (RuntimeException e) {
            size = -1;
          }
          if (size < 0) {
            throw invalid(n, v, "a size in bytes such as 1048576, 512k, 64m or 1g");
          }
          if (size < min) {
            throw invalid(n, v, "a positive size such as 512k, 64m or 1g");
          }
          if (size > max) {
            throw invalid(n, v, "a positive size of at most " + max + " bytes");
          }
          return size;
        });
  }

  /** A positive duration in Spark's syntax (500ms, 30s, 2m). */
  /**
   * A duration option whose default is {@code defaultValue}, written as a user would (10s, 200ms).
   */
  static AisOption<Duration> duration(String name, Scope scope, Duration defaultValue, String doc) {
    long ms = defaultValue.toMillis();
    return duration(name, scope, ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms", doc);
  }

  static AisOption<Duration> duration(String name, Scope scope, String defaultText, String doc) {
    return of(
        name,
        scope,
        defaultText,
        doc,
        (n, v) -> {
          try {
            long ms = JavaUtils.timeStringAsMs(v);
            if (ms > 0) {
              return Duration.ofMillis(ms);
            }
          } catch (RuntimeException e) {
            // reported below
          }
          throw invalid(n, v, "a positive duration such as 500ms, 30s or 2m");
        });
  }

  /**
   * One of the constants of {@code type}, named in any case without underscores (AIS_PYTHON:
   * aisPython).
   */
  static <E extends Enum<E>> AisOption<E> choice(
      String name, Scope scope, Class<E> type, String defaultText, String doc) {
    return of(
        name,
        scope,
        defaultText,
        doc,
        (n, v) -> {
          for (E e : type.getEnumConstants()) {
            if (valueName(e).equals(v.toLowerCase(Locale.ROOT))) {
              return e;
            }
          }
          throw invalid(
              n,
              v,
              "one of "
                  + Arrays.stream(type.getEnumConstants())
                      .map(AisOption::valueName)
                      .collect(Collectors.toCollection(TreeSet::new)));
        });
  }

  private static String valueName(Enum<?> e) {
    return e.name().replace("_", "").toLowerCase(Locale.ROOT);
  }

  static IllegalArgumentException invalid(String name, String value, String allowed) {
    return new IllegalArgumentException(
        "Invalid value '" + value + "' for option '" + name + "': expected " + allowed);
  }

  public String name() {
    return name;
  }

  public Scope scope() {
    return scope;
  }

  /** The default as the documentation states it: a value, or where the value comes from. */
  public String defaultText() {
    return defaultText;
  }

  /**
   * The typed default, or null when it comes from the environment or the session (see {@link
   * #defaultText()}).
   */
  public T defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** Reads a given value, failing with the option's name, the value and what is allowed. */
  T read(String value) {
    return reader.read(name, value);
  }

  @Override
  public String toString() {
    return name;
  }
}
