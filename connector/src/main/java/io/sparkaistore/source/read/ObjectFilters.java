package io.sparkaistore.source.read;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.StringStartsWith;

/**
 * The predicates answered from the listing alone: on {@code bucket} and {@code name} (equality,
 * {@code IN}, prefix) and on {@code size} (comparisons), and conjunctions of them. They are applied
 * exactly, on the driver, before partitions are planned, so Spark need not evaluate them again; a
 * name prefix also narrows the prefix AIS is asked to list.
 */
final class ObjectFilters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Filter> filters;

  ObjectFilters(List<Filter> filters) {
    this.filters = List.copyOf(filters);
  }

  static boolean isSupported(Filter f) {
    if (f instanceof And) {
      And and = (And) f;
      return isSupported(and.left()) && isSupported(and.right());
    }
    if (f instanceof EqualTo) {
      EqualTo equalTo = (EqualTo) f;
      return (isStringColumn(equalTo.attribute()) && equalTo.value() instanceof String)
          || isSizeBound(equalTo.attribute(), equalTo.value());
    }
    if (f instanceof In) {
      In in = (In) f;
      return isStringColumn(in.attribute())
          && Arrays.stream(in.values()).allMatch(v -> v instanceof String);
    }
    if (f instanceof StringStartsWith) {
      return ObjectSchema.NAME.equals(((StringStartsWith) f).attribute());
    }
    return sizeBound(f) != null;
  }

  List<Filter> filters() {
    return filters;
  }

  boolean matches(ListedObject o) {
    return filters.stream().allMatch(f -> matches(f, o));
  }

  /**
   * The prefix to list under {@code pathPrefix} given the pushed name prefixes, or null when no
   * name can match (a pushed prefix disjoint from the path's).
   */
  String narrowPrefix(String pathPrefix) {
    String prefix = pathPrefix;
    for (String p : namePrefixes()) {
      if (p.startsWith(prefix)) {
        prefix = p;
      } else if (!prefix.startsWith(p)) {
        return null;
      }
    }
    return prefix;
  }

  private List<String> namePrefixes() {
    List<String> out = new ArrayList<>();
    for (Filter f : filters) {
      collectNamePrefixes(f, out);
    }
    return out;
  }

  private static void collectNamePrefixes(Filter f, List<String> out) {
    if (f instanceof And) {
      collectNamePrefixes(((And) f).left(), out);
      collectNamePrefixes(((And) f).right(), out);
    } else if (f instanceof StringStartsWith) {
      out.add(((StringStartsWith) f).value());
    } else if (f instanceof EqualTo && ObjectSchema.NAME.equals(((EqualTo) f).attribute())) {
      out.add((String) ((EqualTo) f).value());
    }
  }

  private static boolean matches(Filter f, ListedObject o) {
    if (f instanceof And) {
      return matches(((And) f).left(), o) && matches(((And) f).right(), o);
    }
    if (f instanceof EqualTo) {
      EqualTo eq = (EqualTo) f;
      return isSize(eq.attribute())
          ? o.size() == ((Number) eq.value()).longValue()
          : column(eq.attribute(), o).equals(eq.value());
    }
    if (f instanceof In) {
      In in = (In) f;
      return Arrays.asList(in.values()).contains(column(in.attribute(), o));
    }
    if (f instanceof StringStartsWith) {
      return o.name().startsWith(((StringStartsWith) f).value());
    }
    long[] bound = sizeBound(f);
    return bound[0] <= o.size() && o.size() <= bound[1];
  }

  /**
   * [min, max] (inclusive) sizes a comparison on {@code size} allows, or null if {@code f} is not
   * one. A strict bound at the end of the long range allows nothing: [1, 0].
   */
  private static long[] sizeBound(Filter f) {
    if (f instanceof GreaterThan) {
      GreaterThan gt = (GreaterThan) f;
      if (isSizeBound(gt.attribute(), gt.value())) {
        long v = ((Number) gt.value()).longValue();
        return v == Long.MAX_VALUE ? new long[] {1, 0} : new long[] {v + 1, Long.MAX_VALUE};
      }
    }
    if (f instanceof GreaterThanOrEqual) {
      GreaterThanOrEqual ge = (GreaterThanOrEqual) f;
      if (isSizeBound(ge.attribute(), ge.value())) {
        return new long[] {((Number) ge.value()).longValue(), Long.MAX_VALUE};
      }
    }
    if (f instanceof LessThan) {
      LessThan lt = (LessThan) f;
      if (isSizeBound(lt.attribute(), lt.value())) {
        long v = ((Number) lt.value()).longValue();
        return v == Long.MIN_VALUE ? new long[] {1, 0} : new long[] {Long.MIN_VALUE, v - 1};
      }
    }
    if (f instanceof LessThanOrEqual) {
      LessThanOrEqual le = (LessThanOrEqual) f;
      if (isSizeBound(le.attribute(), le.value())) {
        return new long[] {Long.MIN_VALUE, ((Number) le.value()).longValue()};
      }
    }
    return null;
  }

  private static boolean isSizeBound(String attribute, Object value) {
    return isSize(attribute)
        && (value instanceof Long
            || value instanceof Integer
            || value instanceof Short
            || value instanceof Byte);
  }

  private static String column(String attribute, ListedObject o) {
    return ObjectSchema.NAME.equals(attribute) ? o.name() : o.bucket.name();
  }

  private static boolean isStringColumn(String attribute) {
    return ObjectSchema.NAME.equals(attribute) || ObjectSchema.BUCKET.equals(attribute);
  }

  private static boolean isSize(String attribute) {
    return ObjectSchema.SIZE.equals(attribute);
  }
}
