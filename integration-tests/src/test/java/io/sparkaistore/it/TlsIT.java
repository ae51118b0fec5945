package io.sparkaistore.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.client.Provider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster of its own on HTTPS, its certificate signed by a CA the JVM does not trust: trusted
 * through the option {@code tlsCaCert} or the variable {@code AIS_CLIENT_CA}, refused at once
 * without them with a message that says what to do, and the wrong scheme for the port named as
 * such.
 */
class TlsIT {
  private static final SparkSession spark = TestSpark.session();
  private static TlsCluster cluster;
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void startHttpsCluster() throws Exception {
    cluster = TlsCluster.start("https", 0);
    client =
        AisClient.create(config(cluster.endpoint().toString()).tlsCaCert(cluster.caCert()).build());
    bucket = AisTestBuckets.create(client, "tls");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static AisClientConfig.Builder config(String endpoint) {
    return AisClientConfig.builder(endpoint).maxAttempts(5);
  }

  @Test
  void clientWritesAndReadsThroughRedirectsToTheHttpsTarget() throws Exception {
    AisClient fresh =
        AisClient.create(config(cluster.endpoint().toString()).tlsCaCert(cluster.caCert()).build());
    fresh.put(bucket, "client/a", "over TLS".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "over TLS", new String(fresh.getBytes(bucket, "client/a"), StandardCharsets.UTF_8));
    // Each went to the proxy, then to the target it redirected to, whose URL is https:// too.
    assertEquals(4, fresh.stats().requests());
    assertTrue(
        fresh.clusterMap().targets().stream()
            .allMatch(t -> t.publicUrl().getScheme().equals("https")));
    assertEquals(
        List.of("client/a"),
        fresh.listObjects(bucket, ListOptions.prefix("client/")).stream()
            .map(ObjectEntry::name)
            .collect(Collectors.toList()));
  }

  @Test
  void sparkWritesAndReadsWithTlsCaCert() {
    Dataset<Row> rows =
        spark
            .range(0, 6, 1, 2)
            .select(
                format_string("obj-%d", col("id")).as("name"),
                concat(lit("content "), col("id").cast("string")).cast("binary").as("content"));
    rows.write()
        .format("ais")
        .option("endpoint", cluster.endpoint().toString())
        .option("tlsCaCert", cluster.caCert())
        .save(path("spark/"));
    List<Row> back =
        spark
            .read()
            .format("ais")
            .option("endpoint", cluster.endpoint().toString())
            .option("tlsCaCert", cluster.caCert())
            .load(path("spark/"))
            .select("name", "content")
            .collectAsList();
    assertEquals(6, back.size());
    for (Row r : back) {
      String id = r.getString(0).substring("spark/obj-".length());
      assertArrayEquals(
          ("content " + id).getBytes(StandardCharsets.UTF_8), (byte[]) r.get(1), r.getString(0));
    }
  }

  @Test
  void childJvmTrustsTheCaOfAisClientCa() throws Exception {
    String output =
        TlsChild.run(
            Map.of(
                "AIS_ENDPOINT", cluster.endpoint().toString(), "AIS_CLIENT_CA", cluster.caCert()),
            path("child/"),
            40);
    assertTrue(output.contains("samples=40 bytes=" + TlsChild.bytesOf(40)), output);
  }

  @Test
  void untrustedCertificateFailsOnceAndSaysHowToTrustTheCa() {
    AisClient untrusting = AisClient.create(config(cluster.endpoint().toString()).build());
    AisException e = assertThrows(AisException.class, () -> untrusting.bucketExists(bucket));
    assertHowToTrust(e.getMessage());
    assertEquals(1, untrusting.stats().requests(), "requests sent");
    assertEquals(0, untrusting.stats().retries(), "retries");

    String spark =
        ObjectReadIT.rootMessages(
            assertThrows(
                Exception.class,
                () ->
                    TlsIT.spark
                        .read()
                        .format("ais")
                        .option("endpoint", cluster.endpoint().toString())
                        .load(path("spark/"))
                        .collectAsList()));
    assertHowToTrust(spark);
  }

  @Test
  void hostNameIsVerifiedUnlessVerificationIsOff() throws Exception {
    // 127.0.0.2 reaches the same listener, but the certificate names only 127.0.0.1 and localhost.
    String otherName = cluster.endpoint("https", "127.0.0.2");
    AisClient trusting = AisClient.create(config(otherName).tlsCaCert(cluster.caCert()).build());
    String message =
        assertThrows(AisException.class, () -> trusting.bucketExists(bucket)).getMessage();
    assertTrue(
        message.contains("127.0.0.2")
            && message.contains("use a host name or IP address the certificate names"),
        message);

    AisClient skipping = AisClient.create(config(otherName).tlsSkipVerify(true).build());
    skipping.put(bucket, "skip/a", new byte[] {7});
    assertArrayEquals(new byte[] {7}, skipping.getBytes(bucket, "skip/a"));
    String localhost = cluster.endpoint("https", "localhost");
    AisClient byName = AisClient.create(config(localhost).tlsCaCert(cluster.caCert()).build());
    assertArrayEquals(new byte[] {7}, byName.getBytes(bucket, "skip/a"));
  }

  @Test
  void plainHttpToTheHttpsPortSaysUseHttps() {
    AisClient plain = AisClient.create(config(cluster.endpoint("http", "127.0.0.1")).build());
    String useHttps = "speaks HTTPS: use " + cluster.endpoint("https", "127.0.0.1");
    // A HEAD gets Go's answer without its text, a GET with it; both say the same.
    String head = assertThrows(AisException.class, () -> plain.bucketExists(bucket)).getMessage();
    assertTrue(head.contains(useHttps), head);
    String get =
        assertThrows(AisException.class, () -> plain.listBuckets(Provider.AIS)).getMessage();
    assertTrue(get.contains(useHttps), get);
    assertEquals(0, plain.stats().retries());
  }

  @Test
  void httpsToAPlainHttpPortSaysUseHttp() {
    String plainCluster = AisTestCluster.endpoint().toString();
    AisClient tls = AisClient.create(config(plainCluster.replaceFirst("^http:", "https:")).build());
    String message =
        assertThrows(AisException.class, () -> tls.listBuckets(Provider.AIS)).getMessage();
    assertTrue(message.contains("the endpoint speaks HTTP: use " + plainCluster), message);
    assertEquals(1, tls.stats().requests());
  }

  private static void assertHowToTrust(String message) {
    assertTrue(message.contains("not retried") && message.contains("was not accepted"), message);
    assertTrue(message.contains("tlsCaCert=") && message.contains("AIS_CLIENT_CA="), message);
    assertTrue(
        message.contains("tlsSkipVerify=true") && message.contains("AIS_SKIP_VERIFY_CRT=true"),
        message);
  }

  private static String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }
}
