package io.sparkaistore.source.partition;

import io.sparkaistore.client.ObjectNames;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Partition directories as Spark's file sources write and read them: {@code col=value/} per
 * partition column, in order, with the characters Hive escapes in names and values written as
 * {@code %XX}, and a null or empty value written as {@value #DEFAULT_PARTITION}.
 */
public final class HivePaths {
  /** The directory value of a null (or empty) partition value. */
  public static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  private static final BitSet ESCAPED = escaped();

  private HivePaths() {}

  /**
   * Hive's set (Spark's {@code ExternalCatalogUtils.escapePathName}), plus NUL, which no file
   * system AIS stores objects on accepts.
   */
  private static BitSet escaped() {
    BitSet set = new BitSet(128);
    set.set(0x00, 0x20);
    for (char c : "\"#%'*/:=?\\\u007f{[]^".toCharArray()) {
      set.set(c);
    }
    return set;
  }

  /** {@code text} with each character Hive escapes written as {@code %XX}. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 128 && ESCAPED.get(c)) {
        out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * {@code text} with every {@code %XX} decoded; a {@code %} not followed by two hex digits stays.
   */
  public static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '%'
          && i + 2 < text.length()
          && isHex(text.charAt(i + 1))
          && isHex(text.charAt(i + 2))) {
        out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 128;
  }

  /**
   * The directory of one partition: {@code name=value/}, both escaped, null or empty as default.
   * The value {@value #DEFAULT_PARTITION} itself is refused: it would read back as null.
   */
  public static String directory(String column, String value) {
    if (DEFAULT_PARTITION.equals(value)) {
      throw new IllegalArgumentException(
          "A value of partition column '"
              + column
              + "' is the string '"
              + DEFAULT_PARTITION
              + "', which partition directories keep for null: it would read back as null. Replace"
              + " it before partitionBy.");
    }
    return escape(column)
        + "="
        + (value == null || value.isEmpty() ? DEFAULT_PARTITION : escape(value))
        + "/";
  }

  /**
   * The partition columns and raw (still escaped) values of the directories of {@code relative}, an
   * object's name below the read's base directory: empty when no directory is {@code k=v}.
   *
   * @throws IllegalArgumentException when some directories are {@code k=v} and others are not, or a
   *     column appears twice
   */
  public static Map<String, String> parse(String relative) {
    Map<String, String> columns = new LinkedHashMap<>();
    List<String> plain = new ArrayList<>();
    int start = 0;
    for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', start)) {
      String dir = relative.substring(start, slash);
      start = slash + 1;
      int eq = dir.indexOf('=');
      if (eq <= 0 || eq == dir.length() - 1) {
        plain.add(dir);
        continue;
      }
      String column = unescape(dir.substring(0, eq));
      if (columns.put(column, dir.substring(eq + 1)) != null) {
        throw new IllegalArgumentException(
            "'" + relative + "' has two directories of partition column '" + column + "'");
      }
    }
    if (!columns.isEmpty() && !plain.isEmpty()) {
      throw new IllegalArgumentException(
          "'"
              + relative
              + "' mixes partition directories (col=value) with others "
              + plain
              + "; every directory below the base must be a partition directory");
    }
    return columns;
  }

  /**
   * Whether {@code text} is not empty and made of letters, digits, {@code -}, {@code .}, {@code _}
   * and {@code ~} only: characters that no writer escapes, so that a directory of this name or
   * value is spelt one way.
   */
  public static boolean isUnreserved(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (!ObjectNames.isUnreserved(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The value of a raw directory value: null for the default partition, else unescaped. */
  public static String value(String raw) {
    return DEFAULT_PARTITION.equals(raw) ? null : unescape(raw);
  }
}
