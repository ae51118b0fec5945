package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.BatchItem;
import io.sparkaistore.client.BatchReader;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client under one fault at a time, each hop of each request through {@link FaultyCluster}: an
 * answer that breaks off is asked for again (a listing page, a GetBatch stream, from the items not
 * yet delivered), and a failure that outlasts the retries names the bucket, the object, the target
 * that failed (not the gateway that redirected to it) and the retries made over how long.
 */
class ClientFaultsIT {
  private static final int ITEMS = 64;
  private static AisClient client;
  private static AisBucket bucket;
  private static Map<String, byte[]> objects;

  @BeforeAll
  static void writeObjects() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "client-faults");
    objects = FaultyClusterIT.objects(ITEMS, 5);
    for (Map.Entry<String, byte[]> o : objects.entrySet()) {
      client.put(bucket, o.getKey(), o.getValue());
    }
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  private static AisClient through(FaultyCluster faulty, int maxAttempts, Duration retryTimeout) {
    return AisClient.create(
        AisClientConfig.builder(faulty.endpoint().toString())
            .maxAttempts(maxAttempts)
            .retryTimeout(retryTimeout)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
            .build());
  }

  @Test
  void getBatchCutMidStreamResumesWithTheItemsNotYetDelivered() throws Exception {
    List<BatchItem> items =
        objects.keySet().stream()
            .map(name -> BatchItem.object(bucket, name))
            .collect(Collectors.toList());
    try (FaultyCluster faulty = FaultyCluster.start()) {
      AisClient viaFaults = through(faulty, 5, Duration.ofSeconds(10));
      // The first stream from each target is cut; the gateway may send the resumed batch to either.
      client
          .clusterMap()
          .targets()
          .forEach(t -> faulty.target(t.id()).cutNextResponseAfter(40_000));
      List<String> answered = new ArrayList<>();
      try (BatchReader reader = viaFaults.getBatch(items)) {
        while (reader.hasNext()) {
          BatchReader.Entry e = reader.next();
          assertArrayEquals(objects.get(e.item().object()), e.readAllBytes(), e.item().object());
          answered.add(e.item().object());
        }
      }
      assertEquals(new ArrayList<>(objects.keySet()), answered, "every item once, in order");
      assertTrue(faulty.cuts() >= 1);
      assertEquals(faulty.cuts(), viaFaults.stats().retries(), "one resume per cut");
    }
  }

  @Test
  void listingPageCutMidBodyIsAskedForAgain() throws Exception {
    try (FaultyCluster faulty = FaultyCluster.start()) {
      AisClient viaFaults = through(faulty, 5, Duration.ofSeconds(10));
      faulty
          .gateway()
          .cutNextResponseAfter(600); // inside the first page's entries (about 1,000 bytes)
      List<String> names =
          viaFaults.listObjects(bucket, ListOptions.prefix("").withPageSize(20)).stream()
              .map(ObjectEntry::name)
              .collect(Collectors.toList());
      assertEquals(new ArrayList<>(objects.keySet()), names);
      assertEquals(1, faulty.cuts());
      assertEquals(1, viaFaults.stats().retries());
    }
  }

  @Test
  void exhausted503sNameTheTargetAndTheRetries() throws Exception {
    String name = objects.keySet().iterator().next();
    try (FaultyCluster faulty = FaultyCluster.start()) {
      FaultProxy holder = faulty.target(holderOf(name));
      holder.failNextConnections(100, 503);
      AisException e =
          assertThrows(
              AisException.class,
              () -> through(faulty, 4, Duration.ofSeconds(30)).getBytes(bucket, name));
      assertEquals(503, e.status());
      assertEquals(authority(holder), e.node());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "AIS error 503 on "
                      + bucket
                      + "/"
                      + name
                      + " at target "
                      + authority(holder)
                      + " (retried 3 times over "),
          e.getMessage());
    }
  }

  @Test
  void refusedTargetIsNamedOnceTheRetryTimeoutRunsOut() throws Exception {
    String name = objects.keySet().iterator().next();
    try (FaultyCluster faulty = FaultyCluster.start()) {
      FaultProxy holder = faulty.target(holderOf(name));
      // Nothing listens there any more: connections are refused, as by a dead target.
      holder.close();
      long start = System.nanoTime();
      AisException e =
          assertThrows(
              AisException.class,
              () -> through(faulty, 1000, Duration.ofSeconds(1)).getBytes(bucket, name));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds >= 1 && seconds < 5, seconds + " s");
      assertEquals(0, e.status());
      assertTrue(
          e.getMessage()
              .matches(
                  "AIS request failed on "
                      + java.util.regex.Pattern.quote(bucket + "/" + name)
                      + " at target "
                      + authority(holder)
                      + " \\(retried \\d+ times over 1\\.\\d s\\): GET .*Connect.*"),
          e.getMessage());
      assertFalse(e.getMessage().contains(authority(faulty.gateway())), "the gateway did not fail");
    }
  }

  @Test
  void healthProbeOfADeadGatewayAnswersAtOnce() throws Exception {
    FaultyCluster faulty = FaultyCluster.start();
    faulty.close(); // nothing listens at its endpoint any more
    long start = System.nanoTime();
    assertFalse(through(faulty, 30, Duration.ofSeconds(45)).isHealthy());
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "no retries for a probe");
  }

  private static String holderOf(String name) throws Exception {
    return client
        .listObjects(bucket, ListOptions.prefix(name).withProps("name,size,location"))
        .get(0)
        .targetId();
  }

  private static String authority(FaultProxy proxy) {
    return proxy.uri().getHost() + ":" + proxy.uri().getPort();
  }
}
