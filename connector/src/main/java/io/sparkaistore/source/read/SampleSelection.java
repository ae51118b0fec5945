package io.sparkaistore.source.read;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Which samples of a webdataset read are wanted, by their {@code __key__}: what pushed filters
 * ({@code =}, {@code IN}, {@code LIKE 'p%'}), a join's runtime filter and a pushed {@code
 * TABLESAMPLE} leave. Shards read through their index fetch only these samples; streamed shards
 * skip the content of the others. Every condition is a conjunct, so the selection only narrows.
 *
 * <p>A sample is drawn when a hash of the seed and its key, read as a fraction in [0, 1), falls in
 * the sample's bounds: the same samples for the same seed, whichever shard, task or read path holds
 * them.
 */
final class SampleSelection implements Serializable {
  private static final long serialVersionUID = 1L;

  static final SampleSelection ALL = new SampleSelection(List.of(), List.of(), null);

  private final List<Set<String>> keySets; // a key must be in each
  private final List<List<String>> prefixSets; // a key must start with one of each
  private final Draw draw; // null when not sampled

  /** A seeded draw of samples with a probability of {@code upper - lower}. */
  private static final class Draw implements Serializable {
    private static final long serialVersionUID = 1L;

    final double lower;
    final double upper;
    final long seed;

    Draw(double lower, double upper, long seed) {
      this.lower = lower;
      this.upper = upper;
      this.seed = seed;
    }
  }

  private SampleSelection(List<Set<String>> keySets, List<List<String>> prefixSets, Draw draw) {
    this.keySets = keySets;
    this.prefixSets = prefixSets;
    this.draw = draw;
  }

  /** Whether the sample with key {@code key} is wanted. */
  boolean test(String key) {
    for (Set<String> keys : keySets) {
      if (!keys.contains(key)) {
        return false;
      }
    }
    for (List<String> prefixes : prefixSets) {
      if (prefixes.stream().noneMatch(key::startsWith)) {
        return false;
      }
    }
    if (draw != null) {
      double u = fraction(key, draw.seed);
      return u >= draw.lower && u < draw.upper;
    }
    return true;
  }

  /** Whether every sample is wanted. */
  boolean isAll() {
    return keySets.isEmpty() && prefixSets.isEmpty() && draw == null;
  }

  /** The samples both selections want. */
  SampleSelection and(SampleSelection other) {
    List<Set<String>> keys = new ArrayList<>(keySets);
    keys.addAll(other.keySets);
    List<List<String>> prefixes = new ArrayList<>(prefixSets);
    prefixes.addAll(other.prefixSets);
    if (draw != null && other.draw != null) {
      throw new IllegalStateException("one TABLESAMPLE per read");
    }
    return new SampleSelection(keys, prefixes, draw != null ? draw : other.draw);
  }

  /** The selection of a pushed filter on {@code keyColumn}, or null when it selects no keys. */
  static SampleSelection of(Filter filter, String keyColumn) {
    if (filter instanceof EqualTo && ((EqualTo) filter).attribute().equals(keyColumn)) {
      return keys(new Object[] {((EqualTo) filter).value()});
    }
    if (filter instanceof EqualNullSafe && ((EqualNullSafe) filter).attribute().equals(keyColumn)) {
      return keys(new Object[] {((EqualNullSafe) filter).value()});
    }
    if (filter instanceof In && ((In) filter).attribute().equals(keyColumn)) {
      return keys(((In) filter).values());
    }
    if (filter instanceof StringStartsWith
        && ((StringStartsWith) filter).attribute().equals(keyColumn)) {
      return new SampleSelection(
          List.of(), List.of(List.of(((StringStartsWith) filter).value())), null);
    }
    return null;
  }

  /**
   * The selection of a runtime filter, {@code __key__ IN (...)} or {@code __key__ = v}, or null
   * when it is another predicate.
   */
  static SampleSelection of(Predicate predicate, String keyColumn) {
    String op = predicate.name();
    if (!op.equals("IN") && !op.equals("=")) {
      return null;
    }
    org.apache.spark.sql.connector.expressions.Expression[] children = predicate.children();
    if (!(children[0] instanceof NamedReference)
        || !Arrays.equals(((NamedReference) children[0]).fieldNames(), new String[] {keyColumn})) {
      return null;
    }
    Object[] values = new Object[children.length - 1];
    for (int i = 1; i < children.length; i++) {
      if (!(children[i] instanceof Literal)) {
        return null;
      }
      values[i - 1] = ((Literal<?>) children[i]).value();
    }
    return keys(values);
  }

  /** Draws samples with a probability of {@code upper - lower}, repeatably for {@code seed}. */
  static SampleSelection sampled(double lower, double upper, long seed) {
    return new SampleSelection(List.of(), List.of(), new Draw(lower, upper, seed));
  }

  private static SampleSelection keys(Object[] values) {
    Set<String> keys = new HashSet<>();
    for (Object v : values) {
      if (v instanceof String || v instanceof UTF8String) {
        keys.add(v.toString());
      }
      // null never equals a key, and a key is a string: other values match nothing
    }
    return new SampleSelection(List.of(keys), List.of(), null);
  }

  /**
   * A fraction in [0, 1) from the seed and the key's UTF-8 bytes: FNV-1a 64, then the SplitMix64
   * finaliser, so that keys differing in one character land far apart.
   */
  static double fraction(String key, long seed) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return (h >>> 11) * 0x1.0p-53;
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    keySets.forEach(k -> parts.add(k.size() + " keys"));
    prefixSets.forEach(p -> parts.add("prefixes " + p));
    if (draw != null) {
      parts.add("sample [" + draw.lower + ", " + draw.upper + ") seed " + draw.seed);
    }
    return String.join(" and ", parts);
  }
}
