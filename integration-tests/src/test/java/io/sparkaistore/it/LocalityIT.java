package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each input partition prefers the host of the target that holds its objects. The cluster is its
 * own ({@link AisLocal}, proxy port {@code ais.locality.port}, default 28080), started with {@code
 * --distinct-hosts}: every target has an address of its own (127.0.0.2, 127.0.0.3), so a partition
 * that named the wrong target, or the proxy, would name the wrong host. Where an object lives is
 * what AIS says: the target its proxy redirects a GET of the object to.
 */
class LocalityIT {
  private static final SparkSession spark = TestSpark.session();
  private static final int OBJECTS = 24;
  private static AisLocal cluster;
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void writeObjects() throws Exception {
    cluster =
        AisLocal.start(
            "locality", 2, Integer.getInteger("ais.locality.port", 28080), "--distinct-hosts");
    client = AisClient.create(AisClientConfig.builder(cluster.endpoint().toString()).build());
    bucket = AisTestBuckets.create(client, "locality");
    for (int i = 0; i < OBJECTS; i++) {
      client.put(
          bucket, String.format("obj/%02d", i), ("object " + i).getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void eachPartitionPrefersTheHostOfTheTargetHoldingItsObject() throws Exception {
    // One object per partition, so that each partition has exactly one right answer.
    Dataset<Row> df =
        spark
            .read()
            .format("ais")
            .option("endpoint", cluster.endpoint().toString())
            .option("maxPartitionBytes", "1")
            .load("ais://" + bucket.name() + "/obj/")
            .select(functions.spark_partition_id().as("partition"), functions.col("name"));
    Map<Integer, String> objectOfPartition = new TreeMap<>();
    for (Row r : df.collectAsList()) {
      assertNull(objectOfPartition.put(r.getInt(0), r.getString(1)), "one object per partition");
    }
    List<List<String>> preferred = ScanMetrics.preferredLocations(df);
    assertEquals(OBJECTS, preferred.size());
    assertEquals(OBJECTS, objectOfPartition.size());

    Set<String> hosts = new TreeSet<>();
    for (int p = 0; p < OBJECTS; p++) {
      String object = objectOfPartition.get(p);
      String host = hostServing(object);
      hosts.add(host);
      assertEquals(List.of(host), preferred.get(p), "partition " + p + " reads " + object);
    }
    assertEquals(
        Set.of("127.0.0.2", "127.0.0.3"), hosts, "the objects are spread over both targets");
  }

  @Test
  void aPartitionOfManyObjectsPrefersTheTargetHoldingMostOfItsBytesNotMostOfItsObjects()
      throws Exception {
    client.put(bucket, "mixed/big", new byte[64 << 10]);
    String bigHost = hostServing("mixed/big");
    Map<String, Integer> smallByHost = new TreeMap<>(Map.of(bigHost, 0));
    // Small objects until the other target holds the most of them: counting objects would pick it.
    for (int i = 0;
        smallByHost.size() < 2
            || smallByHost.values().stream().anyMatch(n -> n < 3)
            || smallByHost.get(bigHost) >= otherCount(smallByHost, bigHost);
        i++) {
      assertTrue(i < 200, "200 objects all went to one target: " + smallByHost);
      String name = String.format("mixed/small-%03d", i);
      client.put(bucket, name, new byte[100]);
      smallByHost.merge(hostServing(name), 1, Integer::sum);
    }
    Dataset<Row> df =
        spark
            .read()
            .format("ais")
            .option("endpoint", cluster.endpoint().toString())
            .option("minPartitions", "1")
            .load("ais://" + bucket.name() + "/mixed/");
    assertEquals(
        List.of(List.of(bigHost)),
        ScanMetrics.preferredLocations(df),
        "small objects: " + smallByHost);
  }

  private static int otherCount(Map<String, Integer> countByHost, String host) {
    return countByHost.entrySet().stream()
        .filter(e -> !e.getKey().equals(host))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  /** The host of the target AIS's proxy redirects a GET of {@code object} to. */
  private static String hostServing(String object) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    URI uri = cluster.endpoint().resolve("/v1/objects/" + bucket.name() + "/" + object);
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding());
    // AIS's proxy answers a GET with 301 Moved Permanently to the target (and a PUT with 307).
    assertEquals(
        301, response.statusCode(), "GET " + uri + " is redirected to the target holding it");
    String location = response.headers().firstValue("Location").orElse(null);
    assertNotNull(location, "the redirect of GET " + uri + " names the target");
    return URI.create(location).getHost();
  }
}
