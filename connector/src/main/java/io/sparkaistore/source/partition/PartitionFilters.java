package io.sparkaistore.source.partition;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringContains;
import org.apache.spark.sql.sources.StringEndsWith;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Filters on partition columns, evaluated on the driver against a shard's partition values with
 * SQL's three-valued logic: a shard is read unless the filter is false or null for its values. Only
 * filters on partition columns alone, made of comparisons, {@code IN}, null tests, string prefix,
 * suffix and containment, {@code AND}, {@code OR} and {@code NOT}, are evaluated; Spark applies
 * every filter to the rows again.
 */
public final class PartitionFilters {
  private final List<Filter> filters;
  private final Set<String> dateColumns = new HashSet<>();

  private PartitionFilters(List<Filter> filters, StructType columns) {
    this.filters = List.copyOf(filters);
    for (StructField c : columns.fields()) {
      if (c.dataType() instanceof DateType) {
        dateColumns.add(c.name());
      }
    }
  }

  /** The filters among {@code all} that only read {@code columns} and can be evaluated here. */
  public static PartitionFilters of(List<Filter> all, StructType columns) {
    Set<String> names = Set.of(columns.fieldNames());
    List<Filter> kept = new ArrayList<>();
    for (Filter f : all) {
      if (names.containsAll(List.of(f.references())) && isSupported(f)) {
        kept.add(f);
      }
    }
    return new PartitionFilters(kept, columns);
  }

  public List<Filter> filters() {
    return filters;
  }

  private static boolean isSupported(Filter f) {
    if (f instanceof And) {
      return isSupported(((And) f).left()) && isSupported(((And) f).right());
    }
    if (f instanceof Or) {
      return isSupported(((Or) f).left()) && isSupported(((Or) f).right());
    }
    if (f instanceof Not) {
      return isSupported(((Not) f).child());
    }
    return f instanceof EqualTo
        || f instanceof EqualNullSafe
        || f instanceof In
        || f instanceof LessThan
        || f instanceof LessThanOrEqual
        || f instanceof GreaterThan
        || f instanceof GreaterThanOrEqual
        || f instanceof IsNull
        || f instanceof IsNotNull
        || f instanceof StringStartsWith
        || f instanceof StringEndsWith
        || f instanceof StringContains;
  }

  /** Whether a shard of these partition values (Spark's internal values, by column) may match. */
  public boolean mayMatch(Map<String, Object> internalValues) {
    Map<String, Object> values = new HashMap<>(internalValues);
    // A date is an int of days inside Spark; as a LocalDate it meets only date literals.
    for (String date : dateColumns) {
      values.computeIfPresent(date, (c, days) -> LocalDate.ofEpochDay((Integer) days));
    }
    for (Filter f : filters) {
      try {
        if (!Boolean.TRUE.equals(eval(f, values))) {
          return false;
        }
      } catch (ClassCastException unexpectedLiteral) {
        // A literal of another type than the column's: the shard is read, and Spark decides.
      }
    }
    return true;
  }

  /** TRUE, FALSE, or null for SQL's NULL. */
  private static Boolean eval(Filter f, Map<String, Object> values) {
    if (f instanceof And) {
      Boolean l = eval(((And) f).left(), values);
      Boolean r = eval(((And) f).right(), values);
      if (Boolean.FALSE.equals(l) || Boolean.FALSE.equals(r)) {
        return false;
      }
      return (l == null || r == null) ? null : true;
    }
    if (f instanceof Or) {
      Boolean l = eval(((Or) f).left(), values);
      Boolean r = eval(((Or) f).right(), values);
      if (Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r)) {
        return true;
      }
      return (l == null || r == null) ? null : false;
    }
    if (f instanceof Not) {
      Boolean child = eval(((Not) f).child(), values);
      return child == null ? null : !child;
    }
    if (f instanceof IsNull) {
      return values.get(((IsNull) f).attribute()) == null;
    }
    if (f instanceof IsNotNull) {
      return values.get(((IsNotNull) f).attribute()) != null;
    }
    if (f instanceof EqualNullSafe) {
      EqualNullSafe e = (EqualNullSafe) f;
      Object v = values.get(e.attribute());
      if (v == null || e.value() == null) {
        return v == null && e.value() == null;
      }
      return compare(v, e.value()) == 0;
    }
    if (f instanceof In) {
      return in((In) f, values.get(((In) f).attribute()));
    }
    return comparison(f, values);
  }

  private static Boolean in(In in, Object value) {
    if (value == null) {
      return null;
    }
    boolean sawNull = false;
    for (Object candidate : in.values()) {
      if (candidate == null) {
        sawNull = true;
      } else if (compare(value, candidate) == 0) {
        return true;
      }
    }
    return sawNull ? null : false;
  }

  private static Boolean comparison(Filter f, Map<String, Object> values) {
    String column = f.references()[0];
    Object value = values.get(column);
    Object literal = literal(f);
    if (value == null || literal == null) {
      return null;
    }
    if (f instanceof StringStartsWith) {
      return value.toString().startsWith((String) literal);
    }
    if (f instanceof StringEndsWith) {
      return value.toString().endsWith((String) literal);
    }
    if (f instanceof StringContains) {
      return value.toString().contains((String) literal);
    }
    int c = compare(value, literal);
    if (f instanceof EqualTo) {
      return c == 0;
    }
    if (f instanceof LessThan) {
      return c < 0;
    }
    if (f instanceof LessThanOrEqual) {
      return c <= 0;
    }
    if (f instanceof GreaterThan) {
      return c > 0;
    }
    return c >= 0;
  }

  private static Object literal(Filter f) {
    if (f instanceof EqualTo) {
      return ((EqualTo) f).value();
    }
    if (f instanceof LessThan) {
      return ((LessThan) f).value();
    }
    if (f instanceof LessThanOrEqual) {
      return ((LessThanOrEqual) f).value();
    }
    if (f instanceof GreaterThan) {
      return ((GreaterThan) f).value();
    }
    if (f instanceof GreaterThanOrEqual) {
      return ((GreaterThanOrEqual) f).value();
    }
    if (f instanceof StringStartsWith) {
      return ((StringStartsWith) f).value();
    }
    if (f instanceof StringEndsWith) {
      return ((StringEndsWith) f).value();
    }
    return ((StringContains) f).value();
  }

  /**
   * Compares a partition value (Spark's internal value) with a filter's literal (a Java value), as
   * Spark compares them: numbers by value, dates by day, strings by their UTF-8 bytes.
   */
  static int compare(Object value, Object literal) {
    if (value instanceof UTF8String) {
      return ((UTF8String) value).compareTo(UTF8String.fromString(literal.toString()));
    }
    if (value instanceof Boolean) {
      return Boolean.compare((Boolean) value, (Boolean) literal);
    }
    if (value instanceof LocalDate) {
      LocalDate day =
          literal instanceof java.sql.Date
              ? ((java.sql.Date) literal).toLocalDate()
              : (LocalDate) literal;
      return ((LocalDate) value).compareTo(day);
    }
    if (value instanceof Double || value instanceof Float) {
      double v = ((Number) value).doubleValue();
      double l = ((Number) literal).doubleValue();
      // Spark's order: -0.0 equals 0.0, NaN equals NaN and is above every number
      return v == l ? 0 : Double.compare(v, l);
    }
    return number(value).compareTo(number(literal));
  }

  private static BigDecimal number(Object n) {
    if (n instanceof Decimal) {
      return ((Decimal) n).toJavaBigDecimal();
    }
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(((Number) n).doubleValue()); // finite: a NaN literal meets doubles
    }
    return BigDecimal.valueOf(((Number) n).longValue());
  }
}
