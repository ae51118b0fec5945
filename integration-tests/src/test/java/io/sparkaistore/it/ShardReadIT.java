package io.sparkaistore.it;

import static io.sparkaistore.wds.TestShards.shard;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShardReadIT {
  private static final SparkSession spark = TestSpark.session();
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "shard-read");
    client.put(
        bucket,
        "two/shard-000000.tar",
        shard()
            .add("sample_1.cls", "1")
            .add("sample_1.jpg", "jpg-1")
            .add("sample_1.png", "png-1")
            .add("sample_2.cls", "2")
            .add("sample_2.jpg", "jpg-2")
            .add("sample_2.png", "png-2")
            .tar());
    client.put(
        bucket,
        "two/shard-000001.tar",
        shard()
            .add("sample_3.cls", "3")
            .add("sample_3.jpg", "jpg-3")
            .add("sample_3.png", "png-3")
            .add("sample_4.cls", "4")
            .add("sample_4.jpg", "jpg-4")
            .add("sample_4.png", "png-4")
            .tar());
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  private String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }

  private static String text(Row r, String column) {
    Object v = r.get(r.fieldIndex(column));
    return v == null ? null : new String((byte[]) v, StandardCharsets.UTF_8);
  }

  @Test
  void twoShardsOfTwoSamplesReadBackByteExact() {
    Dataset<Row> df = TestSpark.aisReader("webdataset").load(path("two/"));
    assertEquals(
        List.of("__key__", "__url__", "cls", "jpg", "png"), List.of(df.schema().fieldNames()));
    List<Row> rows = df.orderBy("__key__").collectAsList();
    assertEquals(4, rows.size());
    for (int i = 1; i <= 4; i++) {
      Row r = rows.get(i - 1);
      assertEquals("sample_" + i, r.getString(0));
      assertEquals(path("two/shard-00000" + (i <= 2 ? 0 : 1) + ".tar"), r.getString(1));
      assertEquals(String.valueOf(i), text(r, "cls"));
      assertEquals("jpg-" + i, text(r, "jpg"));
      assertEquals("png-" + i, text(r, "png"));
    }
    Dataset<Row> counted =
        TestSpark.aisReader("webdataset").load(path("two/")).select("__key__", "cls");
    assertEquals(4, counted.collectAsList().size());
    assertEquals(2L, ScanMetrics.of(counted).get("aisShards"));
    assertEquals(4L, ScanMetrics.of(counted).get("aisSamples"));
  }

  @Test
  void extensionlessMemberAndDirectoryAreIgnored() throws Exception {
    client.put(
        bucket,
        "readme/s.tar",
        shard()
            .dir("data")
            .add("README", "hello")
            .add("sample_1.cls", "c")
            .add("sample_1.png", "p")
            .add("sample_1.jpg", "j")
            .tar());
    List<Row> rows = TestSpark.aisReader("webdataset").load(path("readme/")).collectAsList();
    assertEquals(1, rows.size());
    assertEquals("sample_1", rows.get(0).getString(0));
  }

  @Test
  void keyRulesSplitNamesAsTheirReferences() throws Exception {
    client.put(
        bucket,
        "keys/s.tar",
        shard()
            .add("dir/a.b.jpg", "1")
            .add("x/y.seg.png", "2")
            .add("d.v1/c.jpg", "3")
            .add(".hidden", "4")
            .add("e.JPG", "5")
            .tar());
    assertEquals(
        Map.of("dir/a", "b.jpg=1", "x/y", "seg.png=2", "d.v1/c", "jpg=3", "e", "jpg=5"),
        samples(TestSpark.aisReader("webdataset").load(path("keys/"))));
    assertEquals(
        Map.of("a", "jpg=1", "y", "png=2", "c", "jpg=3", "", "hidden=4", "e", "jpg=5"),
        samples(
            TestSpark.aisReader("webdataset").option("keyRule", "aisPython").load(path("keys/"))));
    Dataset<Row> caseKept =
        TestSpark.aisReader("webdataset")
            .option("lowercaseExtensions", "false")
            .load(path("keys/"));
    assertTrue(
        List.of(caseKept.schema().fieldNames()).contains("JPG"), caseKept.schema().toString());
  }

  /** Key to "ext=value" for the one non-null extension column of each row. */
  private static Map<String, String> samples(Dataset<Row> df) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : df.collectAsList()) {
      for (String column : df.schema().fieldNames()) {
        if (!column.startsWith("__") && r.get(r.fieldIndex(column)) != null) {
          out.put(r.getString(0), column + "=" + text(r, column));
        }
      }
    }
    return out;
  }

  @Test
  void differentExtensionSetsGiveTheUnionWithNulls() throws Exception {
    client.put(bucket, "union/a.tar", shard().add("s1.cls", "1").add("s1.jpg", "J1").tar());
    client.put(
        bucket,
        "union/b.tar",
        shard().add("s2.cls", "2").add("s2.jpg", "J2").add("s2.json", "{}").tar());
    Dataset<Row> df = TestSpark.aisReader("webdataset").load(path("union/"));
    assertEquals(
        List.of("__key__", "__url__", "cls", "jpg", "json"), List.of(df.schema().fieldNames()));
    List<Row> rows = df.orderBy("__key__").collectAsList();
    assertNull(rows.get(0).get(rows.get(0).fieldIndex("json")));
    assertEquals("{}", text(rows.get(1), "json"));
    assertEquals("J1", text(rows.get(0), "jpg"));
  }

  @Test
  void userSchemaSelectsExtensions() {
    Dataset<Row> df =
        TestSpark.aisReader("webdataset").schema("__key__ STRING, png BINARY").load(path("two/"));
    List<Row> rows = df.orderBy("__key__").collectAsList();
    assertEquals(4, rows.size());
    assertEquals("png-1", text(rows.get(0), "png"));
    // Checked when the query is planned: getTable also serves writes, whose columns may be
    // integral.
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    TestSpark.aisReader("webdataset")
                        .schema("__key__ STRING, cls INT")
                        .load(path("two/"))
                        .collectAsList()));
    assertTrue(messages.contains("column 'cls' is int, expected BINARY"), messages);
  }

  @Test
  void compressedAndZipShardsAreDetectedByContent() throws Exception {
    io.sparkaistore.wds.TestShards s = shard().add("k.txt", "text").add("k.cls", "7");
    client.put(bucket, "formats/a.tgz", s.tgz());
    client.put(bucket, "formats/b.tar.lz4", s.tarLz4());
    client.put(bucket, "formats/c.zip", s.zip());
    client.put(bucket, "formats/d.bin", s.tgz()); // a name that says nothing
    List<Row> rows =
        TestSpark.aisReader("webdataset")
            .schema("__key__ STRING, __url__ STRING, txt BINARY, cls BINARY")
            .load(path("formats/"))
            .orderBy("__url__")
            .collectAsList();
    assertEquals(4, rows.size());
    for (Row r : rows) {
      assertEquals("k", r.getString(0));
      assertEquals("text", text(r, "txt"));
      assertEquals("7", text(r, "cls"));
    }
  }

  @Test
  void membersLayoutGivesEveryFile() {
    List<Row> rows =
        TestSpark.aisReader("members").load(path("two/shard-000000.tar")).collectAsList();
    assertEquals(6, rows.size());
    Row first = rows.get(0);
    assertEquals(path("two/shard-000000.tar"), first.getString(0));
    assertEquals("sample_1.cls", first.getString(1));
    assertEquals(1L, first.getLong(2));
    assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), (byte[]) first.get(3));
    assertEquals(
        List.of(1L, 5L, 5L, 1L, 5L, 5L),
        TestSpark.aisReader("members")
            .load(path("two/shard-000000.tar"))
            .select("size")
            .collectAsList()
            .stream()
            .map(r -> r.getLong(0))
            .collect(Collectors.toList()));
  }

  @Test
  void corruptObjectsFailWithTheirNameOrAreSkippedAndCounted() throws Exception {
    byte[] good = shard().add("g.cls", "1").tar();
    byte[] big = shard().add("t.bin", new byte[4096]).add("u.bin", new byte[4096]).tar();
    client.put(bucket, "corrupt/0-good.tar", good);
    client.put(bucket, "corrupt/1-empty.tar", new byte[0]);
    client.put(bucket, "corrupt/2-notes.txt", "just text".getBytes(StandardCharsets.UTF_8));
    client.put(bucket, "corrupt/3-truncated.tar", java.util.Arrays.copyOf(big, 512 + 1000));
    String schema = "__key__ STRING, cls BINARY, bin BINARY";
    for (String name : List.of("1-empty.tar", "2-notes.txt", "3-truncated.tar")) {
      Exception e =
          assertThrows(
              Exception.class,
              () ->
                  TestSpark.aisReader("webdataset")
                      .schema(schema)
                      .load(path("corrupt/0-good.tar"), path("corrupt/" + name))
                      .collectAsList());
      String messages = ObjectReadIT.rootMessages(e);
      assertTrue(messages.contains("Shard " + path("corrupt/" + name)), messages);
      assertTrue(messages.contains("ignoreCorruptFiles"), messages);
    }
    for (String[] option :
        new String[][] {{"ignoreCorruptFiles", "true"}, {"mode", "DROPMALFORMED"}}) {
      Dataset<Row> df =
          TestSpark.aisReader("webdataset")
              .schema(schema)
              .option(option[0], option[1])
              .load(path("corrupt/"));
      List<String> keys =
          df.collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toList());
      assertEquals(List.of("g"), keys, option[0]);
      assertEquals(3L, ScanMetrics.of(df).get("aisSkipped"), option[0]);
    }
  }

  /**
   * A DataFrame follows the session's settings as they are when a query runs, not as they were when
   * it was loaded: Spark's file sources behave so, and a user who turns ignoreCorruptFiles on after
   * a failure reruns the same DataFrame.
   */
  @Test
  void sessionSettingsApplyWhenTheQueryRuns() throws Exception {
    byte[] big = shard().add("t.bin", new byte[4096]).add("u.bin", new byte[4096]).tar();
    client.put(bucket, "session/0-good.tar", shard().add("g.cls", "1").tar());
    client.put(bucket, "session/1-truncated.tar", java.util.Arrays.copyOf(big, 512 + 1000));
    Dataset<Row> df =
        TestSpark.aisReader("webdataset")
            .schema("__key__ STRING, cls BINARY, bin BINARY")
            .load(path("session/"));
    String messages = ObjectReadIT.rootMessages(assertThrows(Exception.class, df::collectAsList));
    assertTrue(messages.contains("ignoreCorruptFiles"), messages);
    spark.conf().set("spark.sql.files.ignoreCorruptFiles", "true");
    try {
      // A new query of the DataFrame (Spark keeps the plan of one it ran already).
      assertEquals(
          List.of("g"),
          df.select("__key__").collectAsList().stream()
              .map(r -> r.getString(0))
              .collect(Collectors.toList()));
    } finally {
      spark.conf().unset("spark.sql.files.ignoreCorruptFiles");
    }
  }

  @Test
  void nonAdjacentKeyAndRepeatedExtensionFailWithNamesOrAreDropped() throws Exception {
    client.put(
        bucket,
        "rules/a.tar",
        shard()
            .add("k1.jpg", "1")
            .add("k2.jpg", "2")
            .add("k1.cls", "3")
            .add("k3.jpg", "4")
            .add("k3.JPG", "5")
            .add("k4.jpg", "6")
            .tar());
    Exception e =
        assertThrows(
            Exception.class,
            () -> TestSpark.aisReader("webdataset").load(path("rules/")).collectAsList());
    String messages = ObjectReadIT.rootMessages(e);
    assertTrue(
        messages.contains(
            "Shard " + path("rules/a.tar") + ", member 'k1.cls': key 'k1' comes back"),
        messages);

    Dataset<Row> lenient =
        TestSpark.aisReader("webdataset").option("mode", "DROPMALFORMED").load(path("rules/"));
    List<String> keys =
        lenient.collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toList());
    assertEquals(List.of("k1", "k2", "k4"), keys);
    assertEquals(2L, ScanMetrics.of(lenient).get("aisSkipped"));
  }

  @Test
  void extensionOutsideTheInferredColumnsFailsInsteadOfVanishing() throws Exception {
    client.put(bucket, "late/0.tar", shard().add("a.jpg", "1").tar());
    client.put(bucket, "late/1.tar", shard().add("b.jpg", "2").add("b.json", "{}").tar());
    Dataset<Row> df =
        TestSpark.aisReader("webdataset").option("schemaSampleShards", "1").load(path("late/"));
    assertEquals(List.of("__key__", "__url__", "jpg"), List.of(df.schema().fieldNames()));
    String messages = ObjectReadIT.rootMessages(assertThrows(Exception.class, df::collectAsList));
    assertTrue(messages.contains("extension 'json' is not among the columns inferred"), messages);
    assertEquals(
        List.of("__key__", "__url__", "jpg", "json"),
        List.of(TestSpark.aisReader("webdataset").load(path("late/")).schema().fieldNames()));
  }

  @Test
  void zippedStreamsPairItemsByPosition() throws Exception {
    client.put(
        bucket, "zip/txt/0.tar", shard().add("file1.txt", "t1").add("file2.txt", "t2").tar());
    client.put(bucket, "zip/txt/1.tar", shard().add("file3.txt", "t3").tar());
    client.put(
        bucket,
        "zip/cls/0.tar",
        shard().add("file1.cls", "c1").add("file2.cls", "c2").add("file3.cls", "c3").tar());
    client.put(bucket, "zip/short/0.tar", shard().add("x1", "s1").add("x2", "s2").tar());

    Dataset<Row> equal = TestSpark.aisReader("zipped").load(path("zip/txt/"), path("zip/cls/"));
    assertEquals(List.of("source_0", "source_1"), List.of(equal.schema().fieldNames()));
    assertEquals(List.of("t1|c1", "t2|c2", "t3|c3"), pairs(equal));

    Dataset<Row> unequal = TestSpark.aisReader("zipped").load(path("zip/txt/"), path("zip/short/"));
    assertEquals(List.of("t1|s1", "t2|s2"), pairs(unequal));
    assertEquals(1L, ScanMetrics.of(unequal).get("aisZipTruncated"));
    assertEquals(1, unequal.rdd().getNumPartitions());

    Dataset<Row> strict =
        TestSpark.aisReader("zipped")
            .option("zipMismatch", "fail")
            .load(path("zip/txt/"), path("zip/short/"));
    String messages =
        ObjectReadIT.rootMessages(assertThrows(Exception.class, strict::collectAsList));
    assertTrue(messages.contains("zipped sources differ in length: source(s) [1]"), messages);
  }

  private static List<String> pairs(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(
          new String((byte[]) r.get(0), StandardCharsets.UTF_8)
              + "|"
              + new String((byte[]) r.get(1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void largeShardIsStreamedWithParallelRangesAndLimitStopsEarly() throws Exception {
    io.sparkaistore.wds.TestShards big = shard();
    byte[] member = AisClientIT.randomBytes(1 << 20, 5);
    for (int i = 0; i < 24; i++) {
      big.add(String.format("s%03d.bin", i), member)
          .add(String.format("s%03d.cls", i), String.valueOf(i));
    }
    byte[] tar = big.tar();
    client.put(bucket, "big/shard.tar", tar);
    Dataset<Row> all =
        TestSpark.aisReader("webdataset")
            .option("parallelReadThreshold", "4m")
            .option("parallelReadChunkSize", "1m")
            .load(path("big/"))
            .select("__key__", "bin");
    List<Row> rows = all.collectAsList();
    assertEquals(24, rows.size());
    rows.forEach(r -> assertArrayEquals(member, (byte[]) r.get(1)));

    Dataset<Row> one =
        TestSpark.aisReader("webdataset")
            .option("parallelReadThreshold", "4m")
            .option("parallelReadChunkSize", "1m")
            .load(path("big/"))
            .select("__key__", "bin")
            .limit(1);
    assertEquals(1, one.collectAsList().size());
    Long bytes = ScanMetrics.of(one).get("aisBytes");
    assertTrue(
        bytes != null && bytes < tar.length / 2,
        "read " + bytes + " of " + tar.length + " bytes for one sample");
  }

  @Test
  void etlOnShardsOnAClusterWithoutEtlSaysSo() {
    Dataset<Row> df = TestSpark.aisReader("webdataset").option("etl", "decode").load(path("two/"));
    String messages = ObjectReadIT.rootMessages(assertThrows(Exception.class, df::collectAsList));
    assertTrue(messages.contains("cannot run ETL 'decode'"), messages);
  }
}
