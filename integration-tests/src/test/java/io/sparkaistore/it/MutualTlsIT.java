package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster of its own that requires client certificates ({@code net.http.client_auth_tls} 4, Go's
 * RequireAndVerifyClientCert): the certificate and key come from the options {@code tlsClientCert}
 * and {@code tlsClientKey} or from {@code AIS_CRT} and {@code AIS_CRT_KEY}; without one the cluster
 * refuses the handshake and the message says what to give.
 */
class MutualTlsIT {
  private static final SparkSession spark = TestSpark.session();
  private static TlsCluster cluster;
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void startMutualTlsCluster() throws Exception {
    cluster = TlsCluster.start("mtls", 10);
    client =
        AisClient.create(
            AisClientConfig.builder(cluster.endpoint().toString())
                .tlsCaCert(cluster.caCert())
                .tlsClientCert(cluster.clientCert(), cluster.clientKey())
                .build());
    bucket = AisTestBuckets.create(client, "mtls");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void clientCertificateFromOptionsWritesAndReads() {
    String endpoint = cluster.endpoint().toString();
    spark
        .range(0, 3, 1, 1)
        .selectExpr(
            "format_string('m-%d', id) AS name",
            "cast(format_string('mtls %d', id) AS binary) AS content")
        .write()
        .format("ais")
        .option("endpoint", endpoint)
        .option("tlsCaCert", cluster.caCert())
        .option("tlsClientCert", cluster.clientCert())
        .option("tlsClientKey", cluster.clientKey())
        .save("ais://" + bucket.name() + "/spark/");
    List<Row> back =
        spark
            .read()
            .format("ais")
            .option("endpoint", endpoint)
            .option("tlsCaCert", cluster.caCert())
            .option("tlsClientCert", cluster.clientCert())
            .option("tlsClientKey", cluster.clientKey())
            .load("ais://" + bucket.name() + "/spark/")
            .select("content")
            .collectAsList();
    assertEquals(3, back.size());
    assertTrue(
        back.stream()
            .allMatch(
                r -> new String((byte[]) r.get(0), StandardCharsets.UTF_8).startsWith("mtls ")));
  }

  @Test
  void childJvmPresentsTheCertificateOfAisCrt() throws Exception {
    String output =
        TlsChild.run(
            Map.of(
                "AIS_ENDPOINT",
                cluster.endpoint().toString(),
                "AIS_CLIENT_CA",
                cluster.caCert(),
                "AIS_CRT",
                cluster.clientCert(),
                "AIS_CRT_KEY",
                cluster.clientKey()),
            "ais://" + bucket.name() + "/child/",
            25);
    assertTrue(output.contains("samples=25 bytes=" + TlsChild.bytesOf(25)), output);
  }

  @Test
  void withoutClientCertificateTheHandshakeIsRefusedOnce() {
    AisClient anonymous =
        AisClient.create(
            AisClientConfig.builder(cluster.endpoint().toString())
                .tlsCaCert(cluster.caCert())
                .maxAttempts(5)
                .build());
    String message =
        assertThrows(AisException.class, () -> anonymous.bucketExists(bucket)).getMessage();
    assertTrue(
        message.contains("not retried") && message.contains("requires a client certificate"),
        message);
    assertTrue(message.contains("tlsClientCert") && message.contains("AIS_CRT"), message);
    assertEquals(1, anonymous.stats().requests());
    assertEquals(0, anonymous.stats().retries());
  }
}
