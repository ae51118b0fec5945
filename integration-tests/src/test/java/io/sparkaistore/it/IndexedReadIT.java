package io.sparkaistore.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads through DALI indexes fetch only what a query needs and return what a full scan returns
 * (issue 16): 4,000 samples over 8 shards written by the connector (so each has its index); every
 * pushed-down form gives, byte for byte, the rows of a streamed scan ({@code useIndex=false})
 * filtered in Spark, while the metrics, and a byte-counting proxy in front of every node, show that
 * little was fetched. An index that places other members in its shard fails the read that meets
 * them; malformed, short or missing indexes are passed over; range reads survive cut and refused
 * answers.
 */
class IndexedReadIT {
  private static final SparkSession spark = TestSpark.session();
  private static final int SAMPLES = 4000;
  private static final int PER_SHARD = 500;
  private static final String DATA = "data/";

  private static AisClient client;
  private static AisBucket bucket;
  private static long shardBytes;
  private static long indexBytes;

  @BeforeAll
  static void writeDataset() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "indexed-read");
    write(samples(SAMPLES, 20_000, 30_000), DATA, PER_SHARD);
    for (ObjectEntry e : client.listObjects(bucket, ListOptions.prefix(DATA))) {
      if (e.name().endsWith(".tar")) {
        shardBytes += e.size();
      } else if (e.name().endsWith(".tar.idx")) {
        indexBytes += e.size();
      }
    }
    assertEquals(8, shards(DATA).size());
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  /**
   * Samples {@code s000000}, ... in order: {@code cls} (one byte), {@code json} (of the same size
   * for every sample) and {@code jpg}, {@code minJpg} to {@code minJpg + jpgSpread} random bytes
   * drawn from the sample's number. The sizes repeat every {@link #PER_SHARD} samples, so that the
   * shards of a write are laid out alike.
   */
  private static Dataset<Row> samples(int n, int minJpg, int jpgSpread) {
    UDF1<Long, byte[]> jpg = id -> jpgOf(id, minJpg, jpgSpread);
    return spark
        .range(0, n, 1, 1)
        .select(
            functions.format_string("s%06d", col("id")).as("__key__"),
            col("id").mod(10).cast("string").cast("binary").as("cls"),
            functions.format_string("{\"id\":%06d}", col("id")).cast("binary").as("json"),
            functions.udf(jpg, DataTypes.BinaryType).apply(col("id")).as("jpg"));
  }

  private static byte[] jpgOf(long id, int minJpg, int jpgSpread) {
    byte[] bytes = new byte[minJpg + (int) (id % PER_SHARD * 7919 % jpgSpread)];
    new Random(id).nextBytes(bytes);
    return bytes;
  }

  private static void write(Dataset<Row> df, String prefix, int perShard) {
    df.write()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", "webdataset")
        .option("maxSamplesPerShard", String.valueOf(perShard))
        .save(path(prefix));
  }

  private static String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }

  private static List<String> shards(String prefix) throws Exception {
    return client.listObjects(bucket, ListOptions.prefix(prefix)).stream()
        .map(ObjectEntry::name)
        .filter(n -> n.endsWith(".tar"))
        .sorted()
        .collect(Collectors.toList());
  }

  private static String key(int id) {
    return String.format("s%06d", id);
  }

  /** A read of {@code prefix} that uses the indexes. */
  private static Dataset<Row> indexed(String prefix) {
    return TestSpark.aisReader("webdataset").load(path(prefix));
  }

  /**
   * A read of the dataset that uses the indexes, through {@code proxies}. The schema is given: an
   * inferred one may read the start of shards AIS does not list the members of, on the driver.
   */
  private static Dataset<Row> indexedThrough(FaultyCluster proxies) {
    return TestSpark.aisReader("webdataset")
        .option("endpoint", proxies.endpoint().toString())
        .schema("__key__ STRING, __url__ STRING, cls BINARY, jpg BINARY, json BINARY")
        .load(path(DATA));
  }

  /** A read of {@code prefix} that streams every shard whole. */
  private static Dataset<Row> streamed(String prefix) {
    return TestSpark.aisReader("webdataset").option("useIndex", "false").load(path(prefix));
  }

  /**
   * The rows of a full streamed scan of the dataset whose key {@code keys} accepts, filtered in
   * Spark by a function it cannot push down, without the columns {@code dropped}.
   */
  private static Map<String, Row> expected(Predicate<String> keys, String... dropped) {
    Set<String> all =
        IntStream.range(0, SAMPLES)
            .mapToObj(IndexedReadIT::key)
            .filter(keys)
            .collect(Collectors.toSet());
    return rows(
        streamed(DATA)
            .filter((FilterFunction<Row>) r -> all.contains(r.getString(0)))
            .drop(dropped));
  }

  /** The rows of {@code df} by their key, each key once. */
  private static Map<String, Row> rows(Dataset<Row> df) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : df.collectAsList()) {
      assertNull(out.put(r.getString(r.fieldIndex("__key__")), r), "a key read twice");
    }
    return out;
  }

  /** The same keys, and for each every column's value, byte for byte. */
  private static void assertSameRows(Map<String, Row> expected, Map<String, Row> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (Map.Entry<String, Row> e : expected.entrySet()) {
      Row want = e.getValue();
      Row got = actual.get(e.getKey());
      assertEquals(List.of(want.schema().fieldNames()), List.of(got.schema().fieldNames()));
      for (int i = 0; i < want.size(); i++) {
        String where = e.getKey() + " " + want.schema().fieldNames()[i];
        if (want.get(i) instanceof byte[] bytes) {
          assertArrayEquals(bytes, (byte[]) got.get(i), where);
        } else {
          assertEquals(want.get(i), got.get(i), where);
        }
      }
    }
  }

  private static long metric(Dataset<Row> df, String name) {
    return ScanMetrics.of(df).getOrDefault(name, -1L);
  }

  /**
   * Every shard was read through its index and only {@code wantedBytes} or less of shard data was
   * fetched besides the indexes: the shards without a wanted sample were not opened.
   */
  private static void assertFetchedThroughIndexes(Dataset<Row> df, long wantedBytes) {
    Map<String, Long> m = ScanMetrics.of(df);
    assertEquals(8L, m.get("aisIndexedShards"), m.toString());
    assertTrue(m.get("aisBytes") <= indexBytes + wantedBytes, m + ", indexes " + indexBytes);
    assertTrue(m.get("aisBytesSkipped") >= shardBytes - wantedBytes, m + ", shards " + shardBytes);
  }

  @Test
  void keyEqualsFetchesOneSample() {
    Dataset<Row> df = indexed(DATA).where("__key__ = 's002345'");
    Map<String, Row> got = rows(df);
    assertSameRows(expected(k -> k.equals("s002345")), got);
    assertEquals(1, got.size());
    assertFetchedThroughIndexes(df, 64 * 1024);
  }

  @Test
  void keyInFetchesTwentySamples() {
    List<String> keys =
        IntStream.range(0, 20).mapToObj(i -> key(i * 200 + 13)).collect(Collectors.toList());
    Dataset<Row> df = indexed(DATA).where(col("__key__").isin(keys.toArray()));
    Map<String, Row> got = rows(df);
    assertSameRows(expected(keys::contains), got);
    assertEquals(20, got.size());
    assertFetchedThroughIndexes(df, 20 * 64 * 1024);
  }

  @Test
  void keyPrefixFetchesOneRunOfSamples() {
    Dataset<Row> df = indexed(DATA).where("__key__ LIKE 's0012%'");
    Map<String, Row> got = rows(df);
    assertSameRows(expected(k -> k.startsWith("s0012")), got);
    assertEquals(100, got.size());
    // 100 samples of at most 50 KB each, in one range.
    assertFetchedThroughIndexes(df, 100 * 52 * 1024);
  }

  @Test
  void tableSampleIsRepeatableWithAndWithoutIndexes() {
    indexed(DATA).createOrReplaceTempView("indexed_samples");
    streamed(DATA).createOrReplaceTempView("streamed_samples");
    String sql = "SELECT * FROM %s TABLESAMPLE (1 PERCENT) REPEATABLE (%d)";
    Dataset<Row> df = spark.sql(String.format(sql, "indexed_samples", 7));
    Map<String, Row> got = rows(df);
    assertTrue(got.size() > 10 && got.size() < 100, got.size() + " of 4,000 for 1%");
    // Samples closer than a request's worth (1 MiB) are fetched with what lies between them.
    assertFetchedThroughIndexes(df, (1024L + 64) * 1024 * got.size());
    assertTrue(df.queryExecution().executedPlan().toString().contains("sample ["), "pushed down");

    assertSameRows(got, rows(spark.sql(String.format(sql, "streamed_samples", 7))));
    assertSameRows(got, rows(spark.sql(String.format(sql, "indexed_samples", 7))));
    Dataset<Row> dataset = indexed(DATA).sample(0.01, 7);
    assertSameRows(got, rows(dataset));
    assertEquals(8L, metric(dataset, "aisIndexedShards"));
    assertSameRows(got, rows(streamed(DATA).sample(0.01, 7)));

    Set<String> otherSeed = rows(spark.sql(String.format(sql, "indexed_samples", 8))).keySet();
    assertNotEquals(got.keySet(), otherSeed);
    assertTrue(otherSeed.size() > 10 && otherSeed.size() < 100, otherSeed.toString());
  }

  @Test
  void prunedColumnsGiveTheSameRows() {
    Map<String, Row> expected = rows(streamed(DATA).select("__key__", "cls"));
    assertEquals(SAMPLES, expected.size());
    assertSameRows(expected, rows(indexed(DATA).select("__key__", "cls")));
  }

  /**
   * Members further apart than a request costs are fetched alone: {@code SELECT __key__, cls} over
   * samples with 300 KB images fetches the indexes and a few KB per sample.
   */
  @Test
  void prunedColumnsFetchOnlyTheirMembersWhenTheOthersAreLarge() throws Exception {
    String wide = "wide/";
    // jpg members larger than a request's worth (1 MiB), so that leaving them out saves requests
    write(samples(16, 1_200_000, 1), wide, 8);
    long wideShards = 0;
    long wideIndexes = 0;
    for (ObjectEntry e : client.listObjects(bucket, ListOptions.prefix(wide))) {
      if (e.name().endsWith(".tar")) {
        wideShards += e.size();
      } else if (e.name().endsWith(".idx")) {
        wideIndexes += e.size();
      }
    }
    Dataset<Row> df = indexed(wide).select("__key__", "cls");
    Map<String, Row> got = rows(df);
    assertSameRows(rows(streamed(wide).select("__key__", "cls")), got);
    assertEquals(16, got.size());
    Map<String, Long> m = ScanMetrics.of(df);
    assertEquals(2L, m.get("aisIndexedShards"), m.toString());
    // Each cls member is read with its 512-byte header; 4 KiB per sample is ample.
    assertTrue(m.get("aisBytes") <= wideIndexes + 16 * 4096, m + ", indexes " + wideIndexes);
    assertTrue(m.get("aisBytesSkipped") >= wideShards - 16 * 4096, m + ", shards " + wideShards);
  }

  /**
   * A join with a filtered small table of keys: Spark's dynamic pruning hands the scan the keys of
   * the broadcast side, and the scan fetches only those samples.
   */
  @Test
  void broadcastJoinFetchesOnlyTheKeysOfTheSmallTable() {
    Dataset<Row> wanted =
        spark
            .range(0, SAMPLES, 37)
            .select(
                functions.format_string("s%06d", col("id")).as("k"), col("id").mod(4).as("group"))
            .where("group = 0");
    Dataset<Row> df =
        indexed(DATA).join(broadcast(wanted), col("__key__").equalTo(col("k"))).drop("k", "group");
    Map<String, Row> got = rows(df);
    assertSameRows(expected(k -> Integer.parseInt(k.substring(1)) % (37 * 4) == 0), got);
    assertEquals(28, got.size());
    String plan = df.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("dynamicpruning"), plan);
    assertFetchedThroughIndexes(df, 28 * 64 * 1024);
  }

  /**
   * What went over the wire, counted by a proxy in front of the gateway and each target: for 20
   * keys out of 4,000, under 5% of the dataset's bytes.
   */
  @Test
  void twentyKeysFetchUnderFivePercentOfTheDatasetOverTheWire() throws Exception {
    List<String> keys =
        IntStream.range(0, 20).mapToObj(i -> key(i * 199 + 7)).collect(Collectors.toList());
    try (FaultyCluster counted = FaultyCluster.start()) {
      Dataset<Row> df = indexedThrough(counted).where(col("__key__").isin(keys.toArray()));
      Map<String, Row> got = rows(df);
      long wire = counted.bytesToClients();
      assertSameRows(expected(keys::contains), got);
      assertTrue(wire > 0 && wire < shardBytes / 20, wire + " bytes of " + shardBytes);
      Map<String, Long> m = ScanMetrics.of(df);
      assertTrue(m.get("aisBytes") < shardBytes / 20, m.toString());
      assertTrue(m.get("aisBytes") <= wire, m + " counted " + wire);
      assertTrue(m.get("aisBytesSkipped") > shardBytes * 19 / 20, m.toString());
    }
  }

  /**
   * The index of another shard, of the same length and sample count, fails the read of a sample it
   * places in the shard: the member found there is not the one it names.
   */
  @Test
  void indexOfAnotherShardFailsTheReadNamingTheIndexAndTheOption() throws Exception {
    String mixed = "mixed/";
    List<String> shards = shards(DATA);
    for (String shard : shards.subList(0, 2)) {
      String name = mixed + shard.substring(DATA.length());
      client.put(bucket, name, client.getBytes(bucket, shard));
      client.put(bucket, name + ".idx", client.getBytes(bucket, shards.get(1) + ".idx"));
    }
    String message =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () -> indexed(mixed).where("__key__ = 's000507'").collectAsList()));
    assertTrue(
        message.contains(bucket.name() + "/" + mixed + "shard-000000.tar.idx does not match shard"),
        message);
    assertTrue(message.contains("option useIndex false"), message);
    // Read without indexes, the same shards give the rows they hold.
    assertSameRows(
        expected(k -> k.equals("s000507"), "__url__"),
        rows(streamed(mixed).where("__key__ = 's000507'").drop("__url__")));
  }

  /**
   * A malformed index, an index that leaves the end of its shard out, and no index at all: those
   * shards are streamed, with the rows a full scan gives; a good index beside them is used.
   */
  @Test
  void unusableOrMissingIndexesStreamTheirShards() throws Exception {
    String damaged = "damaged/";
    List<String> shards = shards(DATA);
    for (String shard : shards.subList(0, 4)) {
      client.put(bucket, damaged + shard.substring(DATA.length()), client.getBytes(bucket, shard));
    }
    String idx = damaged + "shard-00000%d.tar.idx";
    client.put(bucket, String.format(idx, 0), utf8("v1.2 500\nnot an index\n"));
    List<String> lines =
        List.of(new String(client.getBytes(bucket, shards.get(1) + ".idx"), UTF_8).split("\n"));
    List<String> shortened = new ArrayList<>(lines.subList(0, lines.size() - 10));
    shortened.set(0, "v1.2 " + (PER_SHARD - 10));
    client.put(bucket, String.format(idx, 1), utf8(String.join("\n", shortened) + "\n"));
    // shard 2 has no index; shard 3 keeps its own
    client.put(bucket, String.format(idx, 3), client.getBytes(bucket, shards.get(3) + ".idx"));

    // Two samples of each shard; s000999 is left out of shard 1's index.
    List<String> keys =
        List.of(
            "s000010", "s000420", "s000510", "s000999", "s001010", "s001300", "s001510", "s001998");
    Dataset<Row> df = indexed(damaged).where(col("__key__").isin(keys.toArray())).drop("__url__");
    assertSameRows(expected(keys::contains, "__url__"), rows(df));
    Map<String, Long> m = ScanMetrics.of(df);
    assertEquals(4L, m.get("aisShards"), m.toString());
    assertEquals(1L, m.get("aisIndexedShards"), "only shard 3's index is usable: " + m);

    Dataset<Row> prefix = indexed(damaged).where("__key__ LIKE 's0009%'").drop("__url__");
    assertSameRows(expected(k -> k.startsWith("s0009"), "__url__"), rows(prefix));
  }

  /**
   * As above with the schema inferred: AIS does not list the members of these shards (uploaded in
   * parts), so the driver takes their extensions from the indexes rather than the shards' first
   * megabytes; the whole query still costs under 5% of the dataset over the wire.
   */
  @Test
  void aKeyLookupWithAnInferredSchemaFetchesUnderFivePercentToo() throws Exception {
    List<String> keys =
        IntStream.range(0, 20).mapToObj(i -> key(i * 211 + 3)).collect(Collectors.toList());
    try (FaultyCluster counted = FaultyCluster.start()) {
      Dataset<Row> df =
          TestSpark.aisReader("webdataset")
              .option("endpoint", counted.endpoint().toString())
              .load(path(DATA))
              .where(col("__key__").isin(keys.toArray()));
      Map<String, Row> got = rows(df);
      long wire = counted.bytesToClients();
      assertSameRows(expected(keys::contains), got);
      assertTrue(wire > 0 && wire < shardBytes / 20, wire + " bytes of " + shardBytes);
    }
  }

  /** Copies the first {@code count} shards of the dataset, with their indexes, under {@code to}. */
  private static void copyShards(String to, int count) throws Exception {
    for (String shard : shards(DATA).subList(0, count)) {
      String name = to + shard.substring(DATA.length());
      client.put(bucket, name, client.getBytes(bucket, shard));
      client.put(bucket, name + ".idx", client.getBytes(bucket, shard + ".idx"));
    }
  }

  /**
   * A shard split between tasks, then replaced with its index by another shard of the same size
   * before the tasks run: every slice fails rather than reading some samples of each shard.
   */
  @Test
  void aShardReplacedAfterPlanningFailsItsSlicesRatherThanMixingTwoShards() throws Exception {
    String replaced = "replaced/";
    copyShards(replaced, 1);
    JavaRDD<Row> planned =
        TestSpark.aisReader("webdataset")
            .option("maxPartitionBytes", "1m")
            .load(path(replaced))
            .select("__key__", "cls")
            .javaRDD();
    assertTrue(planned.getNumPartitions() > 2, "slices: " + planned.getNumPartitions());
    String other = shards(DATA).get(1);
    client.put(bucket, replaced + "shard-000000.tar", client.getBytes(bucket, other));
    client.put(bucket, replaced + "shard-000000.tar.idx", client.getBytes(bucket, other + ".idx"));
    String message = ObjectReadIT.rootMessages(assertThrows(Exception.class, planned::collect));
    assertTrue(message.contains("changed after the query was planned"), message);
    assertTrue(message.contains("run the query again"), message);
  }

  /**
   * A shard deleted after planning whose index is still there: with ignoreMissingFiles it is
   * skipped at its first range, as a streamed read skips it.
   */
  @Test
  void aShardDeletedAfterPlanningIsSkippedWithIgnoreMissingFiles() throws Exception {
    String deleted = "deleted/";
    copyShards(deleted, 2);
    JavaRDD<Row> planned =
        TestSpark.aisReader("webdataset")
            .option("ignoreMissingFiles", "true")
            .load(path(deleted))
            .where(col("__key__").isin("s000010", "s000510"))
            .select("__key__", "json")
            .javaRDD();
    client.delete(bucket, deleted + "shard-000000.tar");
    List<String> keys = new ArrayList<>();
    planned.collect().forEach(r -> keys.add(r.getString(0)));
    assertEquals(List.of("s000510"), keys);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  /**
   * Range reads through a proxy per node: the first range each target is asked for is refused with
   * 503, the answer to the next is cut inside its body; the read retries and resumes, and returns
   * the same rows.
   */
  @Test
  void cutAndRefusedRangeReadsAreResumedAndRetried() throws Exception {
    List<String> keys =
        IntStream.range(0, 20).mapToObj(i -> key(i * 200 + 113)).collect(Collectors.toList());
    String shardGet = "^GET /v1/objects/[^ ?]*\\.tar[? ]";
    try (FaultyCluster faulty = FaultyCluster.start()) {
      faulty.cutAtTargets(shardGet, 5000).failAtTargets(shardGet, 503);
      Dataset<Row> df = indexedThrough(faulty).where(col("__key__").isin(keys.toArray()));
      Map<String, Row> got = rows(df);
      assertSameRows(expected(keys::contains), got);
      assertTrue(faulty.cuts() >= 1 && faulty.errorsInjected() >= 1, faulty.faults());
      Map<String, Long> m = ScanMetrics.of(df);
      assertEquals(8L, m.get("aisIndexedShards"), m.toString());
      assertTrue(
          m.get("aisRetries") >= faulty.cuts() + faulty.errorsInjected(),
          m + ", " + faulty.faults());
    }
  }
}
