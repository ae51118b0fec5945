package io.sparkaistore.it;

import static io.sparkaistore.wds.TestShards.shard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Brace patterns and globs in paths, for every read layout, against a real AIS. */
class PathPatternIT {
  private static final SparkSession spark = TestSpark.session();
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "path-pattern");
    for (int i = 0; i < 12; i++) {
      String n = String.format("%03d", i);
      client.put(
          bucket,
          "shards/shard-" + n + ".tar",
          shard().add("s" + n + ".txt", "t" + n).add("s" + n + ".cls", "c" + n).tar());
    }
    // unpadded and too wide: a zero-padded range must not take them
    client.put(bucket, "shards/shard-5.tar", shard().add("x5.txt", "x").tar());
    client.put(bucket, "shards/shard-0005.tar", shard().add("x0005.txt", "x").tar());
    for (String name : List.of("a.jpg", "b.jpg", "c.png", "sub/d.jpg", "a{1}.jpg", "ab.jpg")) {
      client.put(bucket, "img/" + name, utf8("content of " + name));
    }
    client.put(bucket, "zimg/part-0.tar", shard().add("i0.jpg", "i0").add("i1.jpg", "i1").tar());
    client.put(bucket, "zimg/part-1.tar", shard().add("i2.jpg", "i2").tar());
    client.put(bucket, "zimg/part-2.tar", shard().add("i9.jpg", "i9").tar());
    client.put(bucket, "zlbl/part-0.tar", shard().add("l0.cls", "l0").tar());
    client.put(bucket, "zlbl/part-1.tar", shard().add("l1.cls", "l1").add("l2.cls", "l2").tar());
    client.put(bucket, "zlbl/part-2.tar", shard().add("l9.cls", "l9").tar());
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  private static String path(String name) {
    return "ais://" + bucket.name() + "/" + name;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Row r, String column) {
    return new String((byte[]) r.get(r.fieldIndex(column)), StandardCharsets.UTF_8);
  }

  @Test
  void webdatasetReadsTheShardsOfAZeroPaddedBraceRange() {
    Dataset<Row> df = TestSpark.aisReader("webdataset").load(path("shards/shard-{000..009}.tar"));
    Map<String, String> got = new TreeMap<>();
    for (Row r : df.collectAsList()) {
      got.put(
          r.getString(r.fieldIndex("__key__")),
          r.getString(r.fieldIndex("__url__")) + "|" + text(r, "txt") + "|" + text(r, "cls"));
    }
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      String n = String.format("%03d", i);
      expected.put("s" + n, path("shards/shard-" + n + ".tar") + "|t" + n + "|c" + n);
    }
    assertEquals(expected, got);
    assertEquals(10, df.count());
    assertEquals(List.of("__key__", "__url__", "cls", "txt"), List.of(df.schema().fieldNames()));
  }

  @Test
  void objectsReadsWhatAGlobMatchesWithExactCountAndLimit() {
    Dataset<Row> df = TestSpark.aisReader("objects").load(path("img/[ab]*.jpg"));
    Map<String, String> got = new TreeMap<>();
    for (Row r : df.select("name", "content").collectAsList()) {
      got.put(r.getString(0), new String((byte[]) r.get(1), StandardCharsets.UTF_8));
    }
    Map<String, String> expected = new TreeMap<>();
    for (String name : List.of("a.jpg", "b.jpg", "a{1}.jpg", "ab.jpg")) {
      expected.put("img/" + name, "content of " + name);
    }
    assertEquals(expected, got);
    assertEquals(4, df.count());
    assertEquals(2, df.limit(2).collectAsList().size());
    assertEquals(
        List.of("img/a.jpg", "img/ab.jpg"),
        TestSpark.aisReader("objects")
            .load(path("img/a?.jpg"), path("img/a.jpg"))
            .select("name")
            .orderBy("name")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList());
  }

  @Test
  void aBackslashReadsALiteralBrace() {
    List<Row> rows = TestSpark.aisReader("objects").load(path("img/a\\{1\\}.jpg")).collectAsList();
    assertEquals(1, rows.size());
    assertEquals("img/a{1}.jpg", rows.get(0).getString(rows.get(0).fieldIndex("name")));
  }

  @Test
  void membersReadsTheShardsOfAlternatives() {
    List<String> got =
        TestSpark.aisReader("members")
            .load(path("shards/shard-{000,011}.tar"))
            .select("shard", "path")
            .orderBy("shard", "path")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0) + "|" + r.getString(1))
            .toList();
    assertEquals(
        List.of(
            path("shards/shard-000.tar") + "|s000.cls",
            path("shards/shard-000.tar") + "|s000.txt",
            path("shards/shard-011.tar") + "|s011.cls",
            path("shards/shard-011.tar") + "|s011.txt"),
        got);
  }

  @Test
  void zippedPairsTheShardsEachPatternSelectsByPosition() {
    List<String> got =
        TestSpark.aisReader("zipped")
            .load(path("zimg/part-{0..1}.tar"), path("zlbl/part-[01].tar"))
            .collectAsList()
            .stream()
            .map(r -> text(r, "source_0") + "|" + text(r, "source_1"))
            .toList();
    assertEquals(List.of("i0|l0", "i1|l1", "i2|l2"), got);
  }

  @Test
  void aPatternMatchingNothingFailsNamingPathAndPattern() {
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                TestSpark.aisReader("objects")
                    .load(path("shards/shard-{100..199}.tar"))
                    .collectAsList());
    String message = messages(e);
    assertTrue(
        message.contains("Path does not exist: " + path("shards/shard-{100..199}.tar"))
            && message.contains("no object under 'shards/shard-'"),
        message);
    Exception inferred =
        assertThrows(
            Exception.class,
            () -> TestSpark.aisReader("webdataset").load(path("shards/nothing-*.tar")));
    assertTrue(
        messages(inferred).contains("Path does not exist: " + path("shards/nothing-*.tar")),
        messages(inferred));
  }

  @Test
  void aBraceRangeNamingAMissingShardFailsNamingIt() {
    Exception e =
        assertThrows(
            Exception.class,
            () -> TestSpark.aisReader("objects").load(path("shards/shard-{000..013}.tar")).count());
    String message = messages(e);
    assertTrue(
        message.contains(
            "Path does not exist: "
                + path("shards/shard-{000..013}.tar")
                + " expands to names that are not in ais://"
                + bucket.name()
                + ", e.g. [shards/shard-012.tar, shards/shard-013.tar]"),
        message);
  }

  @Test
  void aWriteToAPatternPathFailsNamingPathAndOption() {
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .range(3)
                    .selectExpr(
                        "cast(id as string) as name",
                        "cast(cast(id as string) as binary) as content")
                    .write()
                    .format("ais")
                    .option("endpoint", AisTestCluster.endpoint().toString())
                    .mode("append")
                    .save(path("out/part-{0..9}/")));
    String message = messages(e);
    assertTrue(
        message.contains(
            "Cannot write to " + path("out/part-{0..9}/") + ": option 'path' holds a brace"),
        message);
  }

  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c).append('\n');
    }
    return all.toString();
  }
}
