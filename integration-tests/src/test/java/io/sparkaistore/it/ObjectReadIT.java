package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectReadIT {
  private static final SparkSession spark = TestSpark.session();
  private static AisClient client;
  private static AisBucket bucket;
  private static final Map<String, byte[]> TEN = new TreeMap<>();
  private static final List<AisBucket> extraBuckets = new ArrayList<>();

  @BeforeAll
  static void writeTenSmallObjects() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "object-read");
    for (int i = 0; i < 10; i++) {
      byte[] content = new byte[10 + i];
      Arrays.fill(content, (byte) ('a' + i));
      content[0] = (byte) i;
      TEN.put("ten/obj-" + i, content);
      client.put(bucket, "ten/obj-" + i, content);
    }
  }

  @AfterAll
  static void destroyBuckets() throws Exception {
    AisTestBuckets.destroy(client, bucket);
    for (AisBucket b : extraBuckets) {
      AisTestBuckets.destroy(client, b);
    }
  }

  private static Dataset<Row> read(String... paths) {
    return spark
        .read()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .load(paths);
  }

  private String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }

  @Test
  void tenSmallObjectsReadBackByteExactInNameOrder() {
    List<Row> rows = read(path("ten/")).collectAsList();
    assertEquals(10, rows.size());
    List<String> names = new ArrayList<>(TEN.keySet());
    for (int i = 0; i < 10; i++) {
      Row r = rows.get(i);
      assertEquals(bucket.name(), r.getString(r.fieldIndex("bucket")));
      assertEquals(names.get(i), r.getString(r.fieldIndex("name")));
      assertArrayEquals(TEN.get(names.get(i)), (byte[]) r.get(r.fieldIndex("content")));
      assertEquals(TEN.get(names.get(i)).length, r.getLong(r.fieldIndex("size")));
      assertEquals("1", r.getString(r.fieldIndex("version")));
      assertNotNull(r.getString(r.fieldIndex("checksum")));
      assertNotNull(r.getTimestamp(r.fieldIndex("atime")));
    }
  }

  @ParameterizedTest(name = "{1} partition(s)")
  @CsvSource({"235, 1", "125, 2", "76, 3", "62, 4"})
  void anyPartitioningGivesEveryObjectOnce(long maxPartitionBytes, int partitions) {
    // Ten objects of 10-19 bytes, each costing 10 more to open, packed in name order.
    Dataset<Row> df =
        spark
            .read()
            .format("ais")
            .option("endpoint", AisTestCluster.endpoint().toString())
            .option("openCostInBytes", "10")
            .option("minPartitions", "1")
            .option("maxPartitionBytes", String.valueOf(maxPartitionBytes))
            .load(path("ten/"));
    assertEquals(partitions, df.rdd().getNumPartitions());
    assertEquals(new ArrayList<>(TEN.keySet()), names(df));
  }

  @Test
  void fourBucketsOfFiveObjectsGiveTwentyDistinctRows() throws Exception {
    List<String> paths = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      AisBucket extra = AisTestBuckets.create(client, "four-" + b);
      extraBuckets.add(extra);
      for (int i = 0; i < 5; i++) {
        client.put(extra, "o" + i, (extra.name() + "/o" + i).getBytes(StandardCharsets.UTF_8));
      }
      paths.add("ais://" + extra.name());
    }
    List<Row> rows =
        read(paths.toArray(new String[0])).select("bucket", "name", "content").collectAsList();
    assertEquals(20, rows.size());
    Set<String> distinct = new HashSet<>();
    for (Row r : rows) {
      String id = r.getString(0) + "/" + r.getString(1);
      assertEquals(id, new String((byte[]) r.get(2), StandardCharsets.UTF_8));
      distinct.add(id);
    }
    assertEquals(20, distinct.size());
  }

  @Test
  void prefixesSelectAndOverlappingPrefixesReadEachObjectOnce() throws Exception {
    client.put(bucket, "pre/a/1", new byte[] {1});
    client.put(bucket, "pre/a/2", new byte[] {2});
    client.put(bucket, "pre/b/1", new byte[] {3});
    assertEquals(List.of("pre/a/1", "pre/a/2"), names(read(path("pre/a/"))));
    assertEquals(
        List.of("pre/a/1", "pre/a/2", "pre/b/1"),
        names(read(path("pre/"), path("pre/a/"), path("pre/a/1"))).stream()
            .sorted()
            .collect(Collectors.toList()));
  }

  @Test
  void emptySelectionIsAnEmptyDataFrame() {
    Dataset<Row> df = read(path("nothing-here/"));
    assertEquals(0, df.collectAsList().size());
    assertEquals(7, df.schema().size());
  }

  @Test
  void noPathIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> spark.read().format("ais").load());
    assertTrue(e.getMessage().contains("No AIS path"), e.getMessage());
  }

  @Test
  void missingBucketIsAClearErrorAtLoad() {
    Exception e =
        assertThrows(IllegalArgumentException.class, () -> read("ais://no-such-bucket-3c1d/x/"));
    assertTrue(
        e.getMessage().contains("bucket ais://no-such-bucket-3c1d does not exist"), e.getMessage());
  }

  @Test
  void badAndUnknownOptionsAreNamed() {
    Exception bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                spark.read().format("ais").option("maxPartitionBytes", "lots").load(path("ten/")));
    assertTrue(
        bad.getMessage().contains("'lots' for option 'maxPartitionBytes'"), bad.getMessage());
    Exception unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> spark.read().format("ais").option("maxPartitonBytes", "1m").load(path("ten/")));
    assertTrue(
        unknown.getMessage().contains("Unknown option(s) [maxpartitonbytes]"),
        unknown.getMessage());
    Exception writeOnly =
        assertThrows(
            IllegalArgumentException.class,
            () -> spark.read().format("ais").option("maxShardBytes", "1m").load(path("ten/")));
    assertTrue(
        writeOnly
            .getMessage()
            .contains(
                "Option 'maxShardBytes' applies only to writes; a read does not " + "take it"),
        writeOnly.getMessage());
  }

  @Test
  void zeroByteAndLargeObjectsAreExact() throws Exception {
    byte[] large = AisClientIT.randomBytes(3 * 1024 * 1024 + 5, 9);
    client.put(bucket, "sizes/empty", new byte[0]);
    client.put(bucket, "sizes/large", large);
    List<Row> rows =
        spark
            .read()
            .format("ais")
            .option("endpoint", AisTestCluster.endpoint().toString())
            .option("parallelReadThreshold", "1m")
            .option("parallelReadChunkSize", "256k")
            .load(path("sizes/"))
            .select("name", "size", "content")
            .collectAsList();
    assertEquals("sizes/empty", rows.get(0).getString(0));
    assertEquals(0, ((byte[]) rows.get(0).get(2)).length);
    assertEquals(large.length, rows.get(1).getLong(1));
    assertArrayEquals(large, (byte[]) rows.get(1).get(2));
  }

  @Test
  void namesWithSpacesAndNonAsciiCharacters() throws Exception {
    String[] names = {"odd/with space.txt", "odd/ünïcødé/日本語.bin", "odd/100%+#?.dat"};
    for (String n : names) {
      client.put(bucket, n, n.getBytes(StandardCharsets.UTF_8));
    }
    for (Row r : read(path("odd/")).select("name", "content").collectAsList()) {
      assertEquals(r.getString(0), new String((byte[]) r.get(1), StandardCharsets.UTF_8));
    }
    assertEquals(
        Arrays.stream(names).sorted().collect(Collectors.toList()), names(read(path("odd/"))));
  }

  @Test
  void metadataQueriesFetchNoObject() {
    Dataset<Row> listing = read(path("ten/")).select("name", "size");
    assertEquals(10, listing.collectAsList().size());
    Map<String, Long> metrics = ScanMetrics.of(listing);
    assertEquals(0L, metrics.get("aisRequests"), metrics.toString());
    assertEquals(10L, metrics.get("aisObjects"), metrics.toString());
    assertEquals(0L, metrics.get("aisBytes"), metrics.toString());

    Dataset<Row> withContent = read(path("ten/"));
    withContent.collectAsList();
    assertTrue(
        ScanMetrics.of(withContent).get("aisRequests") >= 10,
        ScanMetrics.of(withContent).toString());
  }

  @Test
  void countIsAnsweredFromTheListing() {
    Dataset<Row> count = read(path("ten/")).groupBy().count();
    assertEquals(10L, count.collectAsList().get(0).getLong(0));
    assertFalse(ScanMetrics.hasBatchScan(count), count.queryExecution().executedPlan().toString());
    assertEquals(10L, read(path("ten/")).count());
  }

  @Test
  void limitStopsTheListing() {
    Dataset<Row> df = read(path("ten/")).select("name").limit(3);
    assertEquals(List.of("ten/obj-0", "ten/obj-1", "ten/obj-2"), names(df));
    assertEquals(3L, ScanMetrics.of(df).get("aisObjects"));
  }

  @Test
  void namePrefixEqualityInAndSizePredicatesPruneTheListing() {
    Dataset<Row> all = read(path(""));
    assertEquals(List.of("ten/obj-3"), names(all.where("name = 'ten/obj-3'")));
    assertEquals(
        List.of("ten/obj-1", "ten/obj-4"),
        names(all.where("name IN ('ten/obj-4', 'ten/obj-1', 'x')")));
    assertEquals(
        List.of("ten/obj-7", "ten/obj-8", "ten/obj-9"),
        names(
            all.where(
                functions.col("name").startsWith("ten/").and(functions.col("size").geq(17)))));
    Dataset<Row> pruned = all.where("name like 'ten/obj-%' and size < 12").select("name");
    assertEquals(List.of("ten/obj-0", "ten/obj-1"), names(pruned));
    assertEquals(2L, ScanMetrics.of(pruned).get("aisObjects"));
  }

  @Test
  void listingLongerThanOnePageIsComplete() {
    Dataset<Row> df =
        spark
            .read()
            .format("ais")
            .option("endpoint", AisTestCluster.endpoint().toString())
            .option("listPageSize", "3")
            .load(path("ten/"));
    assertEquals(new ArrayList<>(TEN.keySet()), names(df));
  }

  @Test
  void getBatchReadsSmallObjectsExactly() throws Exception {
    Dataset<Row> df =
        spark
            .read()
            .format("ais")
            .option("endpoint", AisTestCluster.endpoint().toString())
            .option("getBatchSize", "4")
            .option("minPartitions", "1")
            .load(path("ten/"))
            .select("name", "content");
    List<Row> rows = df.collectAsList();
    for (Row r : rows) {
      assertArrayEquals(TEN.get(r.getString(0)), (byte[]) r.get(1));
    }
    assertEquals(10, rows.size());
    // One partition, batches of 4, 4 and 2 objects: three GetBatch requests, each redirected once.
    assertEquals(6L, ScanMetrics.of(df).get("aisRequests"));
  }

  @Test
  void failedGetBatchRequestFallsBackToOneGetPerObject() throws Exception {
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      Dataset<Row> df =
          spark
              .read()
              .format("ais")
              .option("endpoint", proxy.uri().toString())
              .option("getBatchSize", "4")
              .option("minPartitions", "1")
              .load(path("ten/"))
              .select("name", "content");
      proxy.failNextRequest(" /v1/ml/moss", 404);
      List<Row> rows = df.collectAsList();
      assertEquals(10, rows.size());
      for (Row r : rows) {
        assertArrayEquals(TEN.get(r.getString(0)), (byte[]) r.get(1));
      }
      // The refused batch (one request), its four objects one by one (two hops each), two batches
      // of two hops.
      assertEquals(13L, ScanMetrics.of(df).get("aisRequests"));
    }
  }

  @Test
  void sqlTableOverAPrefix() {
    spark.sql("DROP TABLE IF EXISTS ais_ten");
    spark.sql(
        "CREATE TABLE ais_ten USING ais OPTIONS (path '"
            + path("ten/")
            + "', endpoint '"
            + AisTestCluster.endpoint()
            + "')");
    try {
      List<Row> rows =
          spark
              .sql("SELECT name, size FROM ais_ten WHERE size >= 18 ORDER BY name")
              .collectAsList();
      assertEquals(
          List.of("ten/obj-8", "ten/obj-9"),
          rows.stream().map(r -> r.getString(0)).collect(Collectors.toList()));
    } finally {
      spark.sql("DROP TABLE IF EXISTS ais_ten");
    }
  }

  @Test
  void sessionConfigurationSetsOptions() {
    spark.conf().set("spark.datasource.ais.maxPartitionBytes", "20");
    spark.conf().set("spark.datasource.ais.openCostInBytes", "1");
    try {
      assertEquals(10, read(path("ten/")).rdd().getNumPartitions());
    } finally {
      spark.conf().unset("spark.datasource.ais.maxPartitionBytes");
      spark.conf().unset("spark.datasource.ais.openCostInBytes");
    }
  }

  @Test
  void objectDeletedAfterPlanningFailsWithItsNameOrIsSkipped() throws Exception {
    client.put(bucket, "vanish/keep", new byte[] {1});
    client.put(bucket, "vanish/gone", new byte[] {2});
    Dataset<Row> strict = read(path("vanish/"));
    strict.queryExecution().executedPlan(); // lists now
    client.delete(bucket, "vanish/gone");
    Exception e = assertThrows(Exception.class, strict::collectAsList);
    assertTrue(
        rootMessages(e).contains("ais://" + bucket.name() + "/vanish/gone was listed"),
        rootMessages(e));

    client.put(bucket, "vanish/gone", new byte[] {2});
    Dataset<Row> lenient =
        spark
            .read()
            .format("ais")
            .option("endpoint", AisTestCluster.endpoint().toString())
            .option("ignoreMissingFiles", "true")
            .load(path("vanish/"))
            .select("name", "content");
    lenient.queryExecution().executedPlan();
    client.delete(bucket, "vanish/gone");
    assertEquals(List.of("vanish/keep"), names(lenient));
    assertEquals(1L, ScanMetrics.of(lenient).get("aisMissingObjects"));
  }

  @Test
  void objectOverwrittenAfterPlanningFailsInsteadOfMixingSizes() throws Exception {
    client.put(bucket, "change/me", new byte[] {1, 2, 3});
    Dataset<Row> df = read(path("change/"));
    df.queryExecution().executedPlan();
    client.put(bucket, "change/me", new byte[] {1, 2, 3, 4, 5});
    Exception e = assertThrows(Exception.class, df::collectAsList);
    assertTrue(
        rootMessages(e)
            .contains("change/me changed after the query was planned: listed at 3 bytes, read 5"),
        rootMessages(e));
  }

  @Test
  void etlOnAClusterWithoutEtlSaysSo() {
    Dataset<Row> df =
        spark
            .read()
            .format("ais")
            .option("endpoint", AisTestCluster.endpoint().toString())
            .option("etl", "to-grayscale")
            .option("etlArgs", "{\"q\":1}")
            .load(path("ten/obj-1"));
    Exception e = assertThrows(Exception.class, df::collectAsList);
    String messages = rootMessages(e);
    assertTrue(
        messages.contains("cannot run ETL 'to-grayscale'")
            && messages.contains("without ETL support"),
        messages);
  }

  /**
   * The names in {@code df}, which must have a name column; metrics are then read from {@code df}
   * itself.
   */
  private static List<String> names(Dataset<Row> df) {
    return df.collectAsList().stream()
        .map(r -> r.getString(r.fieldIndex("name")))
        .collect(Collectors.toList());
  }

  static String rootMessages(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t.getMessage()).append(" | ");
    }
    return out.toString();
  }
}
