package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jobs through {@link FaultyCluster}: every hop of every request passes a proxy that answers 10% of
 * requests with 503 and cuts 5% of connections inside a response. Reads must finish with exact
 * results and no failed task: the client retries, resumes and falls back on its own. Writes must
 * land exactly. The data is written, or checked, without the proxies.
 */
class FaultyClusterIT {
  private static final SparkSession spark = TestSpark.session();
  private static final int OBJECTS = 2000;
  private static final int SAMPLES = 2000;
  private static final double ERRORS = 0.10;
  private static final double CUTS = 0.05;
  static final StructType OBJECT_ROWS =
      new StructType().add("name", DataTypes.StringType).add("content", DataTypes.BinaryType);
  private static final StructType SAMPLE_ROWS =
      new StructType()
          .add("__key__", DataTypes.StringType)
          .add("bin", DataTypes.BinaryType)
          .add("txt", DataTypes.StringType);
  private static final FailedTasks failedTasks = new FailedTasks(spark);
  private static AisClient client;
  private static AisBucket bucket;
  private static Map<String, byte[]> objects;
  private static Map<String, Row> samples;

  @BeforeAll
  static void writeObjectsAndShardsWithoutFaults() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "faulty-cluster");
    spark.sparkContext().addSparkListener(failedTasks);
    objects = objects(OBJECTS, 1);
    samples = samples(SAMPLES, 2);
    direct(spark.createDataFrame(objectRows(objects), OBJECT_ROWS).repartition(4))
        .save(path("obj/"));
    direct(spark.createDataFrame(new ArrayList<>(samples.values()), SAMPLE_ROWS).repartition(4))
        .option("layout", "webdataset")
        .option("maxSamplesPerShard", "20")
        .save(path("wds/"));
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    spark.sparkContext().removeSparkListener(failedTasks);
    AisTestBuckets.destroy(client, bucket);
  }

  @BeforeEach
  void countFromZero() throws Exception {
    failedTasks.reset();
  }

  private static String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }

  private static DataFrameWriter<Row> direct(Dataset<Row> df) {
    return df.write().format("ais").option("endpoint", AisTestCluster.endpoint().toString());
  }

  /**
   * A reader through the faults, with short waits between retries: the faults are frequent, not
   * long.
   */
  private static DataFrameReader through(FaultyCluster faulty) {
    return spark
        .read()
        .format("ais")
        .option("endpoint", faulty.endpoint().toString())
        .option("retryBackoff", "10ms")
        .option("retryMaxBackoff", "200ms")
        .option("listPageSize", "250")
        .option("minPartitions", "4");
  }

  private static FaultyCluster faulty(long seed) throws Exception {
    return FaultyCluster.start().randomFaults(seed, ERRORS, 503, CUTS, false);
  }

  @Test
  void objectsReadExactlyThroughFaults() throws Exception {
    try (FaultyCluster faulty = faulty(11)) {
      Dataset<Row> df = through(faulty).load(path("obj/")).select("name", "content");
      assertObjects(df.collectAsList(), faulty);
      assertRetried(df, faulty);
    }
  }

  @Test
  void getBatchReadsExactlyThroughFaults() throws Exception {
    try (FaultyCluster faulty = faulty(12)) {
      Dataset<Row> df =
          through(faulty).option("getBatchSize", "64").load(path("obj/")).select("name", "content");
      assertObjects(df.collectAsList(), faulty);
      assertRetried(df, faulty);
    }
  }

  @Test
  void webDatasetReadsExactlyThroughFaults() throws Exception {
    try (FaultyCluster faulty = faulty(13)) {
      Dataset<Row> df =
          through(faulty)
              .option("layout", "webdataset")
              .load(path("wds/"))
              .select("__key__", "bin", "txt");
      assertSamples(df.collectAsList(), faulty.faults());
      assertRetried(df, faulty);
    }
  }

  @Test
  void objectWritesLandExactlyThroughRefusedRequestsAndCutBodies() throws Exception {
    assertWrite("objects", true, 21);
  }

  @ParameterizedTest(name = "shardNames={0}")
  @ValueSource(strings = {"sequential", "partition"})
  void shardWritesLandExactlyThroughRefusedRequestsAndCutBodies(String shardNames)
      throws Exception {
    assertWrite(shardNames, true, 22);
  }

  /**
   * Answers lost after AIS acted (a response cut in its head) reach the job commit's renames and
   * upload completions, which a retry finds already done.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"objects", "sequential", "partition"})
  void writesLandExactlyThroughLostAnswers(String kind) throws Exception {
    assertWrite(kind, false, 23);
  }

  /**
   * Writes {@link #objects} (kind "objects") or {@link #samples} through faults, and checks them
   * directly.
   */
  private static void assertWrite(String kind, boolean spareBodiless, long seed) throws Exception {
    String out = "w-" + kind + "-" + spareBodiless + "/";
    boolean objectRows = kind.equals("objects");
    Map<String, Long> metrics;
    String faults;
    try (FaultyCluster faulty =
        FaultyCluster.start().randomFaults(seed, ERRORS, 503, CUTS, spareBodiless)) {
      DataFrameWriter<Row> writer =
          objectRows
              ? writer(
                  spark.createDataFrame(objectRows(objects), OBJECT_ROWS).repartition(4), faulty)
              : writer(
                      spark
                          .createDataFrame(new ArrayList<>(samples.values()), SAMPLE_ROWS)
                          .repartition(4),
                      faulty)
                  .option("layout", "webdataset")
                  .option("maxSamplesPerShard", "20")
                  .option("shardNames", kind);
      metrics = WriteMetricsOf.save(spark, () -> writer.save(path(out)));
      faults = faulty.faults();
    }
    DataFrameReader direct =
        spark.read().format("ais").option("endpoint", AisTestCluster.endpoint().toString());
    if (objectRows) {
      assertObjects(out, direct.load(path(out)).select("name", "content").collectAsList(), faults);
    } else {
      assertSamples(
          direct
              .option("layout", "webdataset")
              .load(path(out))
              .select("__key__", "bin", "txt")
              .collectAsList(),
          faults);
    }
    assertTrue(metrics.get("aisRetries") > 0, metrics + " with " + faults);
  }

  private static DataFrameWriter<Row> writer(Dataset<Row> df, FaultyCluster faulty) {
    return df.write()
        .format("ais")
        .option("endpoint", faulty.endpoint().toString())
        .option("retryBackoff", "10ms")
        .option("retryMaxBackoff", "200ms");
  }

  private static void assertSamples(List<Row> rows, String faults) {
    assertEquals(SAMPLES, rows.size(), faults);
    for (Row r : rows) {
      Row expected = samples.get(r.getString(0));
      assertArrayEquals((byte[]) expected.get(1), (byte[]) r.get(1), r.getString(0));
      assertEquals(
          expected.getString(2),
          new String((byte[]) r.get(2), StandardCharsets.UTF_8),
          r.getString(0));
    }
    assertEquals(SAMPLES, rows.stream().map(r -> r.getString(0)).distinct().count());
  }

  private static void assertObjects(List<Row> rows, FaultyCluster faulty) {
    assertObjects("obj/", rows, faulty.faults());
  }

  /** The rows are {@link #objects}, named under {@code prefix}. */
  private static void assertObjects(String prefix, List<Row> rows, String faults) {
    assertEquals(OBJECTS, rows.size(), faults);
    Map<String, byte[]> read = new TreeMap<>();
    for (Row r : rows) {
      read.put(r.getString(0).substring(prefix.length()), (byte[]) r.get(1));
    }
    assertEquals(objects.keySet(), read.keySet());
    objects.forEach((name, content) -> assertArrayEquals(content, read.get(name), name));
  }

  /**
   * The faults happened, the tasks retried (the driver's listing retries too, uncounted), and no
   * task failed: Spark's own retries were not needed.
   */
  private static void assertRetried(Dataset<Row> df, FaultyCluster faulty) throws Exception {
    assertTrue(faulty.errorsInjected() > 0 && faulty.cuts() > 0, faulty.faults());
    assertTrue(ScanMetrics.of(df).get("aisRetries") > 0, faulty.faults());
    assertEquals(0, failedTasks.count(), "failed tasks with " + faulty.faults());
  }

  /** n objects of 200 to 4,000 random bytes, by name. */
  static Map<String, byte[]> objects(int n, long seed) {
    Random random = new Random(seed);
    Map<String, byte[]> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      byte[] content = new byte[200 + random.nextInt(3800)];
      random.nextBytes(content);
      out.put(String.format("o-%05d", i), content);
    }
    return out;
  }

  static List<Row> objectRows(Map<String, byte[]> objects) {
    List<Row> rows = new ArrayList<>();
    objects.forEach((name, content) -> rows.add(RowFactory.create(name, content)));
    return rows;
  }

  /** n samples (key, 100 to 2,000 random bytes, a caption), by key. */
  static Map<String, Row> samples(int n, long seed) {
    Random random = new Random(seed);
    Map<String, Row> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      byte[] bin = new byte[100 + random.nextInt(1900)];
      random.nextBytes(bin);
      String key = String.format("s-%05d", i);
      out.put(key, RowFactory.create(key, bin, "caption " + i));
    }
    return out;
  }
}
