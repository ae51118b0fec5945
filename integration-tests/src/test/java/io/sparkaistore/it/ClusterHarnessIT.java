package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Proves the harness itself, with plain HTTP and no connector code: the cluster the tests were
 * given is healthy, its map lists the expected targets, buckets can be created and destroyed, and
 * the shared SparkSession runs a job.
 */
@Order(1)
class ClusterHarnessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI endpoint = AisTestCluster.endpoint();

  @Test
  void gatewayReportsClusterReady() throws Exception {
    assertEquals(200, status(get("/v1/health?prr=true")));
  }

  @Test
  void clusterMapListsTheExpectedTargetsAndEachIsReady() throws Exception {
    JsonNode smap = JSON.readTree(send(get("/v1/daemon?what=smap")).body());
    JsonNode targets = smap.path("tmap");
    String expected = System.getenv("AIS_TARGETS");
    if (expected != null) {
      assertEquals(
          Integer.parseInt(expected), targets.size(), "targets in the cluster map: " + targets);
    }
    assertTrue(targets.size() >= 1, "the cluster map has no target: " + smap);
    for (Iterator<JsonNode> it = targets.elements(); it.hasNext(); ) {
      URI target = URI.create(it.next().path("public_net").path("direct_url").asText());
      HttpRequest probe =
          HttpRequest.newBuilder(target.resolve("/v1/health?readiness=true")).build();
      assertEquals(200, status(probe), "target " + target + " is not ready");
    }
  }

  @Test
  void bucketIsCreatedListedAndDestroyed() throws Exception {
    String bucket = "harness-" + UUID.randomUUID().toString().substring(0, 8);
    URI bucketUri = endpoint.resolve("/v1/buckets/" + bucket + "?provider=ais");
    assertEquals(200, status(json("POST", bucketUri, "{\"action\":\"create-bck\"}")));
    assertTrue(listBuckets().contains("\"" + bucket + "\""));
    assertEquals(
        200,
        status(
            HttpRequest.newBuilder(bucketUri)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build()));

    assertEquals(200, status(json("DELETE", bucketUri, "{\"action\":\"destroy-bck\"}")));
    assertFalse(listBuckets().contains("\"" + bucket + "\""));
  }

  @Test
  void sharedSparkSessionRunsAJob() {
    SparkSession spark = TestSpark.session();
    assertEquals("local[2,2]", spark.sparkContext().master());
    assertEquals(10, spark.range(10).count());
  }

  private String listBuckets() throws Exception {
    return send(json("GET", endpoint.resolve("/v1/buckets?provider=ais"), "{\"action\":\"list\"}"))
        .body();
  }

  private HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(endpoint.resolve(pathAndQuery)).build();
  }

  private static HttpRequest json(String method, URI uri, String body) {
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), request + " answered " + response.body());
    return response;
  }

  private int status(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
