package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.ObjectEntry;
import java.util.List;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.StringContains;
import org.apache.spark.sql.sources.StringStartsWith;
import org.junit.jupiter.api.Test;

class ObjectFiltersTest {
  private static ListedObject object(String bucket, String name, long size) {
    return new ListedObject(
        AisBucket.ais(bucket), new ObjectEntry(name, size, null, null, null, null, 0));
  }

  private static ObjectFilters filters(Filter... f) {
    return new ObjectFilters(List.of(f));
  }

  @Test
  void supportsNameBucketAndSizePredicatesOnly() {
    assertTrue(ObjectFilters.isSupported(new EqualTo("name", "a")));
    assertTrue(ObjectFilters.isSupported(new In("bucket", new Object[] {"b1", "b2"})));
    assertTrue(ObjectFilters.isSupported(new StringStartsWith("name", "x/")));
    assertTrue(
        ObjectFilters.isSupported(
            new And(new GreaterThan("size", 1L), new LessThanOrEqual("size", 9L))));
    assertFalse(ObjectFilters.isSupported(new StringContains("name", "x")));
    assertFalse(ObjectFilters.isSupported(new IsNotNull("content")));
    assertFalse(ObjectFilters.isSupported(new EqualTo("size", "ten")));
    assertFalse(ObjectFilters.isSupported(new StringStartsWith("bucket", "b")));
  }

  @Test
  void evaluatesExactly() {
    ObjectFilters f =
        filters(
            new StringStartsWith("name", "a/"),
            new GreaterThan("size", 10L),
            new EqualTo("bucket", "b"));
    assertTrue(f.matches(object("b", "a/x", 11)));
    assertFalse(f.matches(object("b", "a/x", 10)));
    assertFalse(f.matches(object("b", "b/x", 11)));
    assertFalse(f.matches(object("c", "a/x", 11)));
    assertTrue(filters(new In("name", new Object[] {"p", "q"})).matches(object("b", "q", 0)));
    assertTrue(filters(new EqualTo("size", 5L)).matches(object("b", "q", 5)));
  }

  @Test
  void boundsAtTheEndsOfTheLongRangeDoNotOverflow() {
    assertFalse(
        filters(new GreaterThan("size", Long.MAX_VALUE)).matches(object("b", "x", Long.MAX_VALUE)));
    assertFalse(
        filters(new org.apache.spark.sql.sources.LessThan("size", Long.MIN_VALUE))
            .matches(object("b", "x", 0)));
  }

  @Test
  void namePrefixesNarrowTheListedPrefix() {
    assertEquals(
        "data/train/", filters(new StringStartsWith("name", "data/train/")).narrowPrefix("data/"));
    assertEquals(
        "data/train/", filters(new StringStartsWith("name", "da")).narrowPrefix("data/train/"));
    assertEquals("data/x.bin", filters(new EqualTo("name", "data/x.bin")).narrowPrefix(""));
    assertNull(filters(new StringStartsWith("name", "other/")).narrowPrefix("data/"));
    assertEquals("data/", filters(new GreaterThan("size", 1L)).narrowPrefix("data/"));
  }
}
