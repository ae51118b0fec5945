package io.sparkaistore.source.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class PartitionFiltersTest {
  private static final StructType COLUMNS =
      new StructType()
          .add("split", DataTypes.StringType)
          .add("year", DataTypes.IntegerType)
          .add("day", DataTypes.DateType);

  private static Map<String, Object> shard(String split, Integer year, LocalDate day) {
    Map<String, Object> values = new HashMap<>();
    values.put("split", split == null ? null : UTF8String.fromString(split));
    values.put("year", year);
    values.put("day", day == null ? null : (int) day.toEpochDay());
    return values;
  }

  private static boolean mayMatch(Filter f, Map<String, Object> shard) {
    return PartitionFilters.of(List.of(f), COLUMNS).mayMatch(shard);
  }

  @Test
  void keepsOnlyFiltersOnPartitionColumns() {
    PartitionFilters kept =
        PartitionFilters.of(
            List.of(
                new EqualTo("split", "a"),
                new EqualTo("jpg", "x"),
                new Or(new EqualTo("split", "a"), new EqualTo("jpg", "x"))),
            new StructType().add("split", DataTypes.StringType));
    assertEquals(List.of(new EqualTo("split", "a")), kept.filters());
  }

  @Test
  void comparisonsFollowSqlWithNullsNeverMatching() {
    Map<String, Object> train = shard("train", 2024, LocalDate.of(2024, 5, 1));
    Map<String, Object> none = shard(null, null, null);
    assertTrue(mayMatch(new EqualTo("split", "train"), train));
    assertFalse(mayMatch(new EqualTo("split", "val"), train));
    assertFalse(mayMatch(new EqualTo("split", "train"), none));
    assertFalse(mayMatch(new Not(new EqualTo("split", "val")), none), "NOT NULL is NULL");
    assertTrue(mayMatch(new Not(new EqualTo("split", "val")), train));
    assertTrue(mayMatch(new IsNull("split"), none));
    assertTrue(mayMatch(new EqualNullSafe("split", null), none));
    assertFalse(mayMatch(new EqualNullSafe("split", null), train));
    assertTrue(mayMatch(new In("split", new Object[] {"val", "train"}), train));
    assertFalse(mayMatch(new In("split", new Object[] {"val", null}), train), "NULL, not true");
    assertTrue(mayMatch(new Not(new In("split", new Object[] {"val"})), train));
    assertTrue(mayMatch(new StringStartsWith("split", "tr"), train));
    assertTrue(mayMatch(new GreaterThan("year", 2023L), train), "numbers by value");
    assertFalse(mayMatch(new LessThanOrEqual("year", 2023), train));
    assertTrue(mayMatch(new Or(new IsNull("year"), new EqualTo("year", 1)), none));
    assertTrue(mayMatch(new EqualTo("day", LocalDate.of(2024, 5, 1)), train));
    assertTrue(mayMatch(new EqualTo("day", java.sql.Date.valueOf("2024-05-01")), train));
    assertFalse(mayMatch(new GreaterThan("day", LocalDate.of(2024, 5, 1)), train));
  }

  @Test
  void stringsCompareByTheirUtf8BytesAsSparkDoes() {
    // U+FF5E sorts before U+1F600 in UTF-16 units, after it in UTF-8 bytes.
    assertTrue(mayMatch(new GreaterThan("split", "\uff5e"), shard("\ud83d\ude00", 1, null)));
  }

  @Test
  void minusZeroEqualsZeroAsInSpark() {
    // A double column's -0.0 is written as x=-0.0; Spark's x = 0 and x >= 0 hold for its rows
    StructType x = new StructType().add("x", DataTypes.DoubleType);
    Map<String, Object> minusZero = new HashMap<>();
    minusZero.put("x", -0.0d);
    Map<String, Object> zero = new HashMap<>();
    zero.put("x", 0.0d);
    assertTrue(PartitionFilters.of(List.of(new EqualTo("x", 0.0d)), x).mayMatch(minusZero));
    assertTrue(
        PartitionFilters.of(List.of(new GreaterThanOrEqual("x", 0.0d)), x).mayMatch(minusZero));
    assertTrue(PartitionFilters.of(List.of(new EqualTo("x", -0.0d)), x).mayMatch(zero));
    assertTrue(
        PartitionFilters.of(List.of(new In("x", new Object[] {0.0d})), x).mayMatch(minusZero));
    assertFalse(PartitionFilters.of(List.of(new LessThan("x", 0.0d)), x).mayMatch(minusZero));
    Map<String, Object> nan = new HashMap<>();
    nan.put("x", Double.NaN);
    assertTrue(PartitionFilters.of(List.of(new EqualTo("x", Double.NaN)), x).mayMatch(nan));
    assertTrue(
        PartitionFilters.of(List.of(new GreaterThan("x", Double.MAX_VALUE)), x).mayMatch(nan));
  }

  @Test
  void aLiteralOfAnotherTypeKeepsTheShard() {
    assertTrue(mayMatch(new EqualTo("day", 5), shard("a", 1, LocalDate.of(2024, 1, 1))));
  }
}
