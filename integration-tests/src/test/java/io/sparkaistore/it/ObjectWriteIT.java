package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The objects layout's commit protocol under real failures: an overwrite that fails at job commit
 * leaves the old objects byte for byte, or, when they cannot be put back, says exactly where they
 * are; answers lost at commit are recovered; names AIS would refuse or rewrite are refused as rows
 * are written, naming the row.
 */
class ObjectWriteIT {
  private static final SparkSession spark = TestSpark.session();
  private static final StructType SCHEMA =
      new StructType().add("name", DataTypes.StringType).add("content", DataTypes.BinaryType);
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "object-write");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  private static String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }

  /** {@code count} objects obj-00.. with content from {@code seed}, over two partitions. */
  private static Map<String, byte[]> objects(int count, long seed) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      out.put(String.format("obj-%02d", i), AisClientIT.randomBytes(1000 + i, seed * 100 + i));
    }
    return out;
  }

  private static DataFrameWriter<Row> writer(Map<String, byte[]> objects, String endpoint) {
    List<Row> rows = new ArrayList<>();
    objects.forEach((name, content) -> rows.add(RowFactory.create(name, content)));
    return spark
        .createDataFrame(rows, SCHEMA)
        .repartition(2)
        .write()
        .format("ais")
        .option("endpoint", endpoint);
  }

  private static Map<String, byte[]> stored(String prefix) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    for (ObjectEntry e : client.listObjects(bucket, ListOptions.prefix(prefix))) {
      out.put(e.name().substring(prefix.length()), client.getBytes(bucket, e.name()));
    }
    return out;
  }

  private static void assertSameObjects(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    assertEquals(new TreeMap<>(expected).keySet(), actual.keySet());
    expected.forEach((name, content) -> assertArrayEquals(content, actual.get(name), name));
  }

  /** The regex of a job commit's POST that renames a staged object into place. */
  private static String publishRename(String prefix) {
    return "^POST /v1/objects/" + bucket.name() + "/" + prefix + "_temporary/[^/_]+/\\d";
  }

  /**
   * What the UI shows is the committed totals, not those plus what the tasks reported on the way.
   */
  @Test
  void writeMetricsInTheUiAreTheCommittedTotals() throws Exception {
    Map<String, byte[]> objects = objects(20, 8);
    Map<String, Long> metrics =
        WriteMetricsOf.save(
            spark,
            () -> writer(objects, AisTestCluster.endpoint().toString()).save(path("metrics/")));
    assertEquals(20L, metrics.get("aisObjectsWritten"), metrics.toString());
    assertEquals(
        objects.values().stream().mapToLong(b -> b.length).sum(),
        metrics.get("aisBytesWritten"),
        metrics.toString());
    assertEquals(0L, metrics.get("aisShardsWritten"), metrics.toString());
    assertSameObjects(objects, stored("metrics/"));
  }

  @Test
  void aReadOptionIsRefusedAndNothingIsWritten() throws Exception {
    Exception e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                writer(objects(2, 3), AisTestCluster.endpoint().toString())
                    .option("maxPartitionBytes", "1m")
                    .save(path("read-option/")));
    assertTrue(
        e.getMessage()
            .contains("Option 'maxPartitionBytes' applies only to reads; a write does not take it"),
        e.getMessage());
    assertEquals(Map.of(), stored("read-option/"));
  }

  @Test
  void overwriteThatFailsAtCommitKeepsTheOldObjectsByteForByte() throws Exception {
    Map<String, byte[]> old = objects(30, 1);
    writer(old, AisTestCluster.endpoint().toString()).save(path("kept/"));
    Map<String, byte[]> replacement = objects(35, 2); // the 30 names again, and 5 more
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.failRequests(publishRename("kept/"), 403, 19, 1); // the 20th object put in place
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () ->
                      writer(replacement, proxy.uri().toString())
                          .mode("overwrite")
                          .save(path("kept/"))));
      assertTrue(
          messages.contains("Cannot commit the write to ais://" + bucket.name() + "/kept/")
              && messages.contains("injected by FaultProxy"),
          messages);
      assertTrue(
          messages.contains("The write was undone: the path holds what it held before."), messages);
    }
    assertSameObjects(old, stored("kept/"));
  }

  @Test
  void oldObjectsThatCannotBePutBackAreNamedWithWhereTheyAre() throws Exception {
    Map<String, byte[]> old = objects(10, 3);
    writer(old, AisTestCluster.endpoint().toString()).save(path("stranded/"));
    String messages;
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.failRequests(publishRename("stranded/"), 403, 7, 1);
      // Putting them back.
      proxy.failRequests("^PUT /v1/objects/" + bucket.name() + "/stranded/obj-", 403, 0, 100);
      messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () ->
                      writer(objects(10, 4), proxy.uri().toString())
                          .mode("overwrite")
                          .save(path("stranded/"))));
    }
    assertTrue(
        messages.contains("injected by FaultProxy")
            && messages.contains("10 old object(s) could not be put back"),
        messages);
    Matcher at =
        Pattern.compile("the old '(stranded/obj-\\d\\d)' is at '([^']+)'").matcher(messages);
    Map<String, byte[]> found = new TreeMap<>();
    while (at.find()) {
      found.put(at.group(1).substring("stranded/".length()), client.getBytes(bucket, at.group(2)));
    }
    assertSameObjects(old, found);
    Matcher journal =
        Pattern.compile("listed in (stranded/_temporary/[^/]+/replaced\\.json)").matcher(messages);
    assertTrue(journal.find(), messages);
    JsonNode listed = new ObjectMapper().readTree(client.getBytes(bucket, journal.group(1)));
    assertEquals(10, listed.path("replaced").size());
    for (JsonNode entry : listed.path("replaced")) {
      String name = entry.path("name").asText().substring("stranded/".length());
      assertArrayEquals(
          old.get(name), client.getBytes(bucket, entry.path("keptAt").asText()), name);
    }
  }

  @Test
  void renameWhoseAnswerIsLostAtCommitIsRecovered() throws Exception {
    Map<String, byte[]> objects = objects(12, 5);
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.loseAnswerToNextRequest(publishRename("lost/"));
      writer(objects, proxy.uri().toString()).save(path("lost/"));
      assertEquals(1, proxy.lostAnswers());
    }
    assertSameObjects(objects, stored("lost/"));
  }

  @Test
  void overwriteReplacesAnObjectByADirectoryOfTheSameName() throws Exception {
    client.put(bucket, "dir/a", new byte[] {1});
    client.put(bucket, "dir/c", new byte[] {2});
    Map<String, byte[]> replacement = Map.of("a/b", new byte[] {3}, "c/d", new byte[] {4});
    writer(replacement, AisTestCluster.endpoint().toString()).mode("overwrite").save(path("dir/"));
    assertSameObjects(replacement, stored("dir/"));
  }

  /**
   * The undo of an overwrite that put {@code a/b} where the object {@code a} was: once {@code a/b}
   * is deleted, AIS keeps {@code a/} as a directory on its target, refuses a PUT of {@code a}, and
   * would answer a rename onto {@code a} with 200 and drop the object. The old {@code a} must
   * survive, and the error must say where it is.
   */
  @Test
  void oldObjectThatCannotReturnBecauseAisKeptADirectoryIsKeptAndNamed() throws Exception {
    String name = sameTarget("undo/a", "/b");
    byte[] old = AisClientIT.randomBytes(5000, 7);
    client.put(bucket, "undo/" + name, old);
    Map<String, byte[]> replacement = new LinkedHashMap<>();
    // Put in place first: one partition, one commit thread.
    replacement.put(name + "/b", new byte[] {1});
    replacement.put("z", new byte[] {2});
    List<Row> rows = new ArrayList<>();
    replacement.forEach((n, c) -> rows.add(RowFactory.create(n, c)));
    String messages;
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.failRequests(publishRename("undo/"), 403, 1, 1);
      messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () ->
                      spark
                          .createDataFrame(rows, SCHEMA)
                          .coalesce(1)
                          .write()
                          .format("ais")
                          .option("endpoint", proxy.uri().toString())
                          .option("commitThreads", "1")
                          .mode("overwrite")
                          .save(path("undo/"))));
    }
    assertTrue(messages.contains("injected by FaultProxy"), messages);
    Matcher at =
        Pattern.compile("the old 'undo/" + name + "' is at '([^']+)' \\(([^)]*virtual directory)")
            .matcher(messages);
    assertTrue(at.find(), messages);
    assertArrayEquals(old, client.getBytes(bucket, at.group(1)));
  }

  /**
   * A name {@code <stem>N} whose object and {@code <stem>N<suffix>} land on the same target (from
   * AIS's redirects).
   */
  private static String sameTarget(String stem, String suffix) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; ; i++) {
      String name = stem.substring(stem.indexOf('/') + 1) + i;
      String dir = stem.substring(0, stem.indexOf('/') + 1);
      if (targetOf(http, dir + name).equals(targetOf(http, dir + name + suffix))) {
        return name;
      }
    }
  }

  private static String targetOf(java.net.http.HttpClient http, String object) throws Exception {
    java.net.http.HttpResponse<Void> answer =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    AisTestCluster.endpoint()
                        .resolve("/v1/objects/" + bucket.name() + "/" + object + "?provider=ais"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
    return java.net
        .URI
        .create(answer.headers().firstValue("Location").orElseThrow())
        .getAuthority();
  }

  @Test
  void objectNamedLikeADirectoryThatIsThereIsRefused() throws Exception {
    client.put(bucket, "isdir/a/b", new byte[] {1});
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    writer(Map.of("a", new byte[] {2}), AisTestCluster.endpoint().toString())
                        .mode("overwrite")
                        .save(path("isdir/"))));
    assertTrue(
        messages.contains("Cannot write an object named 'isdir/a': 'isdir/a/b' is under"),
        messages);
    assertEquals(List.of("isdir/a/b"), names("isdir/"));
  }

  @Test
  void rowsNamingAnObjectAndADirectoryOfItAreRefused() throws Exception {
    Map<String, byte[]> rows = Map.of("x/y", new byte[] {1}, "x", new byte[] {2});
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () -> writer(rows, AisTestCluster.endpoint().toString()).save(path("clash/"))));
    assertTrue(messages.contains("Rows name both 'clash/x' and 'clash/x/y'"), messages);
    assertEquals(List.of(), names("clash/"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a//b|it has an empty component ('//')",
        "../x|it has a '..' component, which AIS refuses",
        "a/./b|it has a '.' component, which AIS refuses",
        "x/|it ends with '/', which AIS refuses",
        "''|every object needs a name",
        "LONG|bytes long; AIS stores a name longer than 3072 bytes under a hash",
        "WIDE|bytes long; AIS keeps components of at most 255 bytes"
      })
  void namesAisWouldRefuseOrRewriteFailTheWriteNamingTheRow(String name, String reason)
      throws Exception {
    String row =
        name.equals("LONG")
            ? "d/".repeat(1600) + "x"
            : name.equals("WIDE") ? "w".repeat(256) : name;
    Map<String, byte[]> objects = new LinkedHashMap<>();
    objects.put("fine", new byte[] {1});
    objects.put(row, new byte[] {2});
    List<Row> rows = new ArrayList<>();
    objects.forEach((n, c) -> rows.add(RowFactory.create(n, c)));
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    spark
                        .createDataFrame(rows, SCHEMA)
                        .coalesce(1)
                        .write()
                        .format("ais")
                        .option("endpoint", AisTestCluster.endpoint().toString())
                        .save(path("refused/"))));
    assertTrue(
        messages.contains(
                "Cannot write the row of partition 0 whose column 'name' is '" + row + "'")
            && messages.contains(reason),
        messages);
    assertEquals(List.of(), names("refused/"), "nothing was written");
  }

  @Test
  void pathAisWouldRewriteIsRefusedBeforeAnyTask() {
    String messages =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    writer(objects(2, 6), AisTestCluster.endpoint().toString())
                        .save(path("bad//path/"))));
    assertTrue(
        messages.contains("(option 'path')") && messages.contains("empty component"), messages);
  }

  private static List<String> names(String prefix) throws Exception {
    return client.listObjects(bucket, ListOptions.prefix(prefix)).stream()
        .map(ObjectEntry::name)
        .collect(Collectors.toList());
  }
}
