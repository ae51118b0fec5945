package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Catalog tables over AIS ({@code CREATE TABLE ... USING ais}) take the session's {@code
 * spark.datasource.ais.*} settings.
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
}
