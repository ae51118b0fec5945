package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.LiteralValue;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** Which samples pushed filters, runtime filters and TABLESAMPLE select, by key. */
class SampleSelectionTest {
  private static final String KEY = "__key__";

  @Test
  void keyFiltersSelectTheirKeysAndOtherFiltersNothing() {
    SampleSelection eq = SampleSelection.of(new EqualTo(KEY, "a"), KEY);
    assertTrue(eq.test("a"));
    assertFalse(eq.test("b"));
    SampleSelection in = SampleSelection.of(new In(KEY, new Object[] {"a", "b", null, 3}), KEY);
    assertTrue(in.test("a") && in.test("b"));
    assertFalse(in.test("3") || in.test("c"));
    SampleSelection prefix = SampleSelection.of(new StringStartsWith(KEY, "train/"), KEY);
    assertTrue(prefix.test("train/x"));
    assertFalse(prefix.test("val/x"));
    assertNull(SampleSelection.of(new EqualTo("cls", "a"), KEY), "another column");
    assertNull(SampleSelection.of(new GreaterThan(KEY, "a"), KEY), "a range");
  }

  @Test
  void conditionsAreConjuncts() {
    SampleSelection both =
        SampleSelection.of(new In(KEY, new Object[] {"train/a", "val/b"}), KEY)
            .and(SampleSelection.of(new StringStartsWith(KEY, "train/"), KEY));
    assertTrue(both.test("train/a"));
    assertFalse(both.test("val/b"));
    assertFalse(both.isAll());
    assertTrue(SampleSelection.ALL.isAll());
    assertTrue(SampleSelection.ALL.test("anything"));
  }

  @Test
  void runtimeFiltersOnTheKeySelectTheirValues() {
    Expression key = Expressions.column(KEY);
    Predicate in =
        new Predicate(
            "IN",
            new Expression[] {
              key,
              new LiteralValue<>(UTF8String.fromString("a"), DataTypes.StringType),
              new LiteralValue<>(UTF8String.fromString("b"), DataTypes.StringType)
            });
    SampleSelection s = SampleSelection.of(in, KEY);
    assertTrue(s.test("a") && s.test("b"));
    assertFalse(s.test("c"));
    Predicate other =
        new Predicate(
            "IN",
            new Expression[] {
              Expressions.column("cls"),
              new LiteralValue<>(UTF8String.fromString("a"), DataTypes.StringType)
            });
    assertNull(SampleSelection.of(other, KEY));
  }

  @Test
  void aDrawIsRepeatableNearItsFractionAndChangesWithTheSeed() throws Exception {
    SampleSelection draw = SampleSelection.sampled(0.0, 0.1, 42);
    SampleSelection again = roundTrip(SampleSelection.sampled(0.0, 0.1, 42));
    SampleSelection otherSeed = SampleSelection.sampled(0.0, 0.1, 43);
    Set<String> drawn = new HashSet<>();
    Set<String> drawnByOtherSeed = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String key = "sample-" + i;
      assertEquals(draw.test(key), again.test(key), key);
      if (draw.test(key)) {
        drawn.add(key);
      }
      if (otherSeed.test(key)) {
        drawnByOtherSeed.add(key);
      }
    }
    assertTrue(Math.abs(drawn.size() - 10_000) < 400, "drawn " + drawn.size());
    assertNotEquals(drawn, drawnByOtherSeed);
    // complementary bounds split the keys between them, as Spark's randomSplit asks
    SampleSelection rest = SampleSelection.sampled(0.1, 1.0, 42);
    for (int i = 0; i < 1000; i++) {
      String key = "sample-" + i;
      assertTrue(draw.test(key) ^ rest.test(key), key);
    }
  }

  private static SampleSelection roundTrip(SampleSelection s) throws IOException, Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (SampleSelection) in.readObject();
    }
  }
}
