package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.source.AisSessionCatalog;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Catalog tables over AIS ({@code CREATE TABLE ... USING ais}) take the session's {@code
 * spark.datasource.ais.*} settings, and SQL writes: INSERT INTO, INSERT OVERWRITE and CTAS, for
 * both write layouts.
 */
class SqlTableIT {
  private static final SparkSession spark = TestSpark.session();
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "sql-table");
    for (int i = 0; i < 4; i++) {
      client.put(bucket, "t/obj-" + i, ("content " + i).getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  @Test
  void createTableTakesTheSessionsEndpointAndOptions() throws Exception {
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      spark.conf().set("spark.datasource.ais.endpoint", proxy.uri().toString());
      spark.conf().set("spark.datasource.ais.maxPartitionBytes", "10"); // an object per partition
      spark.conf().set("spark.datasource.ais.openCostInBytes", "1");
      spark.sql("DROP TABLE IF EXISTS ais_session");
      spark.sql(
          "CREATE TABLE ais_session USING ais OPTIONS (path 'ais://" + bucket.name() + "/t/')");
      proxy.failNextRequest("^GET /v1/buckets/" + bucket.name(), 403); // the query's listing
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () -> spark.sql("SELECT name FROM ais_session").collectAsList()));
      assertTrue(
          messages.contains("injected by FaultProxy"),
          "the query reached AIS through the session's endpoint: " + messages);
      List<String> names =
          spark.sql("SELECT name FROM ais_session ORDER BY name").collectAsList().stream()
              .map(r -> r.getString(0))
              .collect(Collectors.toList());
      assertEquals(List.of("t/obj-0", "t/obj-1", "t/obj-2", "t/obj-3"), names);
      assertEquals(
          4,
          spark.table("ais_session").rdd().getNumPartitions(),
          "the session's maxPartitionBytes");
    } finally {
      spark.conf().unset("spark.datasource.ais.endpoint");
      spark.conf().unset("spark.datasource.ais.maxPartitionBytes");
      spark.conf().unset("spark.datasource.ais.openCostInBytes");
      spark.sql("DROP TABLE IF EXISTS ais_session");
    }
  }

  @Test
  void tableOptionsWinOverTheSessions() {
    spark.conf().set("spark.datasource.ais.endpoint", "http://127.0.0.1:9");
    try {
      spark.sql("DROP TABLE IF EXISTS ais_own");
      spark.sql(
          "CREATE TABLE ais_own USING ais OPTIONS (path 'ais://"
              + bucket.name()
              + "/t/', endpoint '"
              + AisTestCluster.endpoint()
              + "')");
      assertEquals(4, spark.sql("SELECT * FROM ais_own").count());
    } finally {
      spark.conf().unset("spark.datasource.ais.endpoint");
      spark.sql("DROP TABLE IF EXISTS ais_own");
    }
  }

  @Test
  void insertIntoAndOverwriteObjects() throws Exception {
    try {
      spark.sql("DROP TABLE IF EXISTS ais_objects");
      spark.sql( // a read option, which the table's writes leave to its reads
          "CREATE TABLE ais_objects USING ais OPTIONS (path '"
              + path("ins-objects/")
              + "', maxPartitionBytes '10')");
      spark.sql(
          "INSERT INTO ais_objects SELECT concat('o-', id) AS name, concat('bytes ', id) AS content"
              + " FROM range(3)");
      spark.sql(
          "INSERT INTO ais_objects SELECT * FROM VALUES ('raw', X'00FF10') AS v(name, content)");
      spark.sql("INSERT INTO ais_objects (name, content) VALUES ('listed', 'by column list')");
      spark.sql("INSERT INTO ais_objects BY NAME SELECT 'by name' AS content, 'named' AS name");
      assertEquals(
          Map.of(
              "ins-objects/o-0", "bytes 0",
              "ins-objects/o-1", "bytes 1",
              "ins-objects/o-2", "bytes 2",
              "ins-objects/raw", "\u0000\u00ff\u0010",
              "ins-objects/listed", "by column list",
              "ins-objects/named", "by name"),
          contents("ins-objects/"));
      List<Row> rows =
          spark.sql("SELECT name, content FROM ais_objects ORDER BY name").collectAsList();
      assertEquals("ins-objects/raw", rows.get(5).getString(0));
      assertTrue(Arrays.equals(new byte[] {0, (byte) 0xFF, 0x10}, (byte[]) rows.get(5).get(1)));

      spark.sql("INSERT OVERWRITE ais_objects SELECT 'only' AS name, 'the one' AS content");
      assertEquals(Map.of("ins-objects/only", "the one"), contents("ins-objects/"));
      assertEquals(1, spark.sql("SELECT * FROM ais_objects").count());
    } finally {
      spark.sql("DROP TABLE IF EXISTS ais_objects");
    }
  }

  @Test
  void insertIntoAndOverwriteWebDataset() throws Exception {
    try {
      spark.sql("DROP TABLE IF EXISTS ais_wds");
      spark.sql(
          "CREATE TABLE ais_wds (__key__ STRING, txt BINARY, bin BINARY) USING ais OPTIONS (path '"
              + path("ins-wds/")
              + "', layout 'webdataset', compression 'gzip')"); // a write option; reads skip it
      spark.sql(
          "INSERT INTO ais_wds SELECT format_string('s%02d', id) AS __key__, concat('text ', id)"
              + " AS txt, X'0102' AS bin FROM range(4)");
      List<Row> rows =
          spark.sql("SELECT __key__, txt, bin FROM ais_wds ORDER BY __key__").collectAsList();
      assertEquals(4, rows.size());
      assertTrue(contents("ins-wds/").keySet().stream().anyMatch(n -> n.endsWith(".tar.gz")));
      for (int i = 0; i < 4; i++) {
        assertEquals(String.format("s%02d", i), rows.get(i).getString(0));
        assertEquals("text " + i, new String((byte[]) rows.get(i).get(1), StandardCharsets.UTF_8));
        assertTrue(Arrays.equals(new byte[] {1, 2}, (byte[]) rows.get(i).get(2)));
      }

      spark.sql("INSERT OVERWRITE ais_wds SELECT 'k' AS __key__, 'new' AS txt, X'03' AS bin");
      rows = spark.sql("SELECT __key__, txt, bin FROM ais_wds").collectAsList();
      assertEquals(1, rows.size());
      assertEquals("k", rows.get(0).getString(0));
      assertEquals("new", new String((byte[]) rows.get(0).get(1), StandardCharsets.UTF_8));
      assertTrue(Arrays.equals(new byte[] {3}, (byte[]) rows.get(0).get(2)));

      Map<String, String> before = contents("ins-wds/");
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () ->
                      spark.sql(
                          "INSERT OVERWRITE ais_wds SELECT /*+ REPARTITION(1) */ * FROM VALUES ('dup', 'a', X'01'),"
                              + " ('dup', 'b', X'02') AS v(__key__, txt, bin)")));
      assertTrue(messages.contains("Duplicate __key__ 'dup'"), messages);
      assertEquals(before, contents("ins-wds/"), "a failed INSERT OVERWRITE keeps the old data");
    } finally {
      spark.sql("DROP TABLE IF EXISTS ais_wds");
    }
  }

  @Test
  void createTableAsSelectWritesBothLayouts() throws Exception {
    spark.conf().set("spark.datasource.ais.compression", "gzip"); // a session write setting
    try {
      spark.sql("DROP TABLE IF EXISTS ais_ctas_objects");
      spark.sql("DROP TABLE IF EXISTS ais_ctas_wds");
      spark.sql(
          "CREATE TABLE ais_ctas_objects USING ais OPTIONS (path '"
              + path("ctas-objects/")
              + "') AS SELECT concat('c-', id) AS name, cast(concat('made ', id) AS BINARY) AS content"
              + " FROM range(2)");
      assertEquals(
          Map.of("ctas-objects/c-0", "made 0", "ctas-objects/c-1", "made 1"),
          contents("ctas-objects/"));
      assertEquals(
          List.of("ctas-objects/c-0|made 0", "ctas-objects/c-1|made 1"),
          spark
              .sql(
                  "SELECT concat(name, '|', cast(content AS STRING)) FROM ais_ctas_objects"
                      + " ORDER BY name")
              .collectAsList()
              .stream()
              .map(r -> r.getString(0))
              .collect(Collectors.toList()));

      spark.sql(
          "CREATE TABLE ais_ctas_wds USING ais OPTIONS (path '"
              + path("ctas-wds/")
              + "', layout 'webdataset') AS SELECT format_string('k%d', id) AS __key__,"
              + " cast(concat('label ', id) AS BINARY) AS cls FROM range(3)");
      List<String> shards =
          contents("ctas-wds/").keySet().stream()
              .filter(n -> n.contains("/shard-"))
              .collect(Collectors.toList());
      assertTrue(
          !shards.isEmpty() && shards.stream().allMatch(n -> n.endsWith(".tar.gz")),
          "the session's compression reached the write: " + shards);
      assertEquals(
          List.of("k0|label 0", "k1|label 1", "k2|label 2"),
          spark
              .sql(
                  "SELECT concat(__key__, '|', cast(cls AS STRING)) FROM ais_ctas_wds ORDER BY __key__")
              .collectAsList()
              .stream()
              .map(r -> r.getString(0))
              .collect(Collectors.toList()));
    } finally {
      spark.conf().unset("spark.datasource.ais.compression");
      spark.sql("DROP TABLE IF EXISTS ais_ctas_objects");
      spark.sql("DROP TABLE IF EXISTS ais_ctas_wds");
    }
  }

  @Test
  void wrongColumnsNameTheTableLayoutAndColumns() throws Exception {
    try {
      spark.sql("DROP TABLE IF EXISTS ais_wrong");
      spark.sql("CREATE TABLE ais_wrong USING ais OPTIONS (path '" + path("wrong/") + "')");
      String messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class, () -> spark.sql("INSERT INTO ais_wrong VALUES ('a', X'00')")));
      assertTrue(
          messages.contains("Cannot write to table ais:[ais://" + bucket.name() + "/wrong/]"),
          messages);
      assertTrue(messages.contains("(layout objects, path"), messages);
      assertTrue(messages.contains("the columns are [col1, col2]"), messages);
      assertTrue(messages.contains("name STRING and content BINARY or STRING"), messages);
      messages =
          ObjectReadIT.rootMessages(
              assertThrows(
                  Exception.class,
                  () -> spark.sql("INSERT INTO ais_wrong SELECT 1 AS name, X'00' AS content")));
      assertTrue(messages.contains("Column 'name' is int"), messages);
      assertEquals(Map.of(), contents("wrong/"), "nothing written");
    } finally {
      spark.sql("DROP TABLE IF EXISTS ais_wrong");
    }
  }

  /**
   * Spark keeps a table's path as a location without its trailing slash; the table must still read
   * its directory alone, not every name that starts alike.
   */
  @Test
  void aTablesPathIsADirectory() throws Exception {
    client.put(bucket, "dir/a", "in".getBytes(StandardCharsets.UTF_8));
    client.put(bucket, "dir-beside/b", "beside".getBytes(StandardCharsets.UTF_8));
    client.put(bucket, "directory", "alike".getBytes(StandardCharsets.UTF_8));
    for (String written : List.of("dir/", "dir")) {
      spark.sql("DROP TABLE IF EXISTS ais_dir");
      try {
        spark.sql("CREATE TABLE ais_dir USING ais OPTIONS (path '" + path(written) + "')");
        assertEquals(
            List.of("dir/a"),
            spark.sql("SELECT name FROM ais_dir").collectAsList().stream()
                .map(r -> r.getString(0))
                .collect(Collectors.toList()),
            written);
      } finally {
        spark.sql("DROP TABLE IF EXISTS ais_dir");
      }
    }
  }

  /**
   * Spark 3.5 needs {@link AisSessionCatalog} as its session catalog for {@code ais} tables; on
   * Spark 4 it must do what Spark's own does, and leave other tables to Spark.
   */
  @Test
  void theSessionCatalogForSpark35WorksOnSpark4() throws Exception {
    SparkSession session = spark.newSession(); // a catalog of its own; the metastore is shared
    session.conf().set("spark.sql.catalog.spark_catalog", AisSessionCatalog.class.getName());
    try {
      session.sql("DROP TABLE IF EXISTS ais_catalog_objects");
      session.sql("DROP TABLE IF EXISTS ais_catalog_ctas");
      session.sql("DROP TABLE IF EXISTS ais_catalog_parquet");
      session.sql(
          "CREATE TABLE ais_catalog_objects USING ais OPTIONS (path '" + path("cat/") + "')");
      assertEquals(
          "bucket,name,size,version,checksum,atime,content",
          String.join(",", session.table("ais_catalog_objects").columns()),
          "the columns inferred at CREATE TABLE");
      session.sql("INSERT INTO ais_catalog_objects SELECT 'a' AS name, 'first' AS content");
      session.sql(
          "CREATE TABLE ais_catalog_ctas USING ais OPTIONS (path '"
              + path("cat-ctas/")
              + "') AS SELECT 'b' AS name, cast(content AS BINARY) AS content"
              + " FROM ais_catalog_objects");
      assertEquals(Map.of("cat/a", "first"), contents("cat/"));
      assertEquals(Map.of("cat-ctas/b", "first"), contents("cat-ctas/"));
      assertEquals(
          List.of("cat/a"),
          session.sql("SELECT name FROM ais_catalog_objects").collectAsList().stream()
              .map(r -> r.getString(0))
              .collect(Collectors.toList()),
          "the table over cat/ reads cat/ alone, not cat-ctas/ beside it");
      assertEquals(
          List.of("cat-ctas/b"),
          session.sql("SELECT name FROM ais_catalog_ctas").collectAsList().stream()
              .map(r -> r.getString(0))
              .collect(Collectors.toList()));

      session.sql("CREATE TABLE ais_catalog_parquet (id INT) USING parquet");
      session.sql("INSERT INTO ais_catalog_parquet VALUES (7)");
      assertEquals(7, session.sql("SELECT id FROM ais_catalog_parquet").first().getInt(0));
    } finally {
      session.sql("DROP TABLE IF EXISTS ais_catalog_objects");
      session.sql("DROP TABLE IF EXISTS ais_catalog_ctas");
      session.sql("DROP TABLE IF EXISTS ais_catalog_parquet");
    }
  }

  private static String path(String under) {
    return "ais://" + bucket.name() + "/" + under;
  }

  /** Every object under {@code prefix}, by name, with its bytes as ISO-8859-1 text. */
  private static Map<String, String> contents(String prefix) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (ObjectEntry e : client.listObjects(bucket, ListOptions.prefix(prefix))) {
      out.put(e.name(), new String(client.getBytes(bucket, e.name()), StandardCharsets.ISO_8859_1));
    }
    return out;
  }
}
