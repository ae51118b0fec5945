package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.AisNode;
import io.sparkaistore.client.BatchItem;
import io.sparkaistore.client.BatchReader;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.MultipartOutputStream;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.client.ObjectProps;
import io.sparkaistore.client.ObjectReadStream;
import io.sparkaistore.client.Provider;
import io.sparkaistore.client.RequestBody;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AisClientIT {
  private static final int MIB = 1024 * 1024;
  private static AisClient client;
  private static AisBucket bucket;
  private static byte[] big;

  @BeforeAll
  static void createBucketWithA64MiBObject() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "client-it");
    big = randomBytes(64 * MIB, 64);
    client.put(bucket, "big.bin", big);
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  @Test
  void clusterMapListsHealthyTargets() throws Exception {
    assertTrue(client.isHealthy());
    List<AisNode> targets = client.clusterMap().targets();
    assertFalse(targets.isEmpty());
    targets.forEach(t -> assertTrue(t.isTarget() && t.publicUrl().getPort() > 0, t.toString()));
  }

  @Test
  void bucketsAreCreatedHeadedListedAndDestroyed() throws Exception {
    AisBucket b = AisTestBuckets.create(client, "lifecycle");
    assertTrue(client.bucketExists(b));
    assertTrue(client.listBuckets(Provider.AIS).contains(b));
    AisException exists = assertThrows(AisException.class, () -> client.createBucket(b));
    assertEquals(409, exists.status());
    client.destroyBucket(b);
    assertFalse(client.bucketExists(b));
  }

  @Test
  void listingLongerThanAPageReturnsEveryObjectOnce() throws Exception {
    Set<String> written = new HashSet<>();
    for (int i = 0; i < 57; i++) {
      String name = String.format("paged/obj-%03d", i);
      client.put(bucket, name, name.getBytes(StandardCharsets.UTF_8));
      written.add(name);
    }
    List<ObjectEntry> listed =
        client.listObjects(bucket, ListOptions.prefix("paged/").withPageSize(10));
    List<String> names = listed.stream().map(ObjectEntry::name).collect(Collectors.toList());
    assertEquals(57, names.size(), "no duplicates");
    assertEquals(written, new HashSet<>(names));
    listed.forEach(e -> assertEquals(e.name().length(), e.size()));
  }

  @Test
  void listingReportsRequestedProperties() throws Exception {
    client.put(bucket, "props/one", new byte[] {1, 2, 3});
    ObjectEntry e =
        client
            .listObjects(
                bucket,
                ListOptions.prefix("props/").withProps("name,size,checksum,version,atime,location"))
            .get(0);
    assertEquals("props/one", e.name());
    assertEquals(3, e.size());
    assertNotNull(e.checksum());
    assertEquals("1", e.version());
    assertNotNull(e.atime());
    assertNotNull(
        client.clusterMap().target(e.targetId()), "location names a target: " + e.location());
  }

  @Test
  void namesWithReservedAndNonAsciiCharactersRoundTrip() throws Exception {
    String[] names = {
      "dir/with space", "per%cent", "plus+sign", "hash#tag", "what?query=1&x", "été/日本/ñ"
    };
    for (String name : names) {
      byte[] content = ("content of " + name).getBytes(StandardCharsets.UTF_8);
      client.put(bucket, "odd/" + name, content);
      assertArrayEquals(content, client.getBytes(bucket, "odd/" + name), name);
      assertEquals(content.length, client.headObject(bucket, "odd/" + name).size(), name);
    }
    Set<String> listed =
        client.listObjects(bucket, ListOptions.prefix("odd/")).stream()
            .map(ObjectEntry::name)
            .collect(Collectors.toSet());
    for (String name : names) {
      assertTrue(listed.contains("odd/" + name), name + " listed as itself in " + listed);
      client.delete(bucket, "odd/" + name);
    }
    assertTrue(client.listObjects(bucket, ListOptions.prefix("odd/")).isEmpty());
  }

  @Test
  void missingObjectFailsWithStatusBucketAndObject() {
    AisException e = assertThrows(AisException.class, () -> client.getBytes(bucket, "no/such"));
    assertEquals(404, e.status());
    assertEquals(bucket.toString(), e.bucket());
    assertEquals("no/such", e.object());
    assertTrue(e.getMessage().contains(bucket + "/no/such"), e.getMessage());
    assertEquals(
        404, assertThrows(AisException.class, () -> client.headObject(bucket, "no/such")).status());
  }

  @Test
  void missingBucketFailsWithAisMessage() {
    AisBucket nope = AisBucket.ais("no-such-bucket-7f3a");
    AisException e =
        assertThrows(AisException.class, () -> client.listObjects(nope, ListOptions.prefix("")));
    assertEquals(404, e.status());
    assertTrue(e.aisMessage().contains("does not exist"), e.aisMessage());
  }

  @Test
  void streamsOfKnownAndUnknownLengthAreStored() throws Exception {
    byte[] content = randomBytes(3 * MIB + 17, 1);
    client.put(
        bucket,
        "stream/known",
        RequestBody.ofStream(new ByteArrayInputStream(content), content.length));
    client.put(
        bucket, "stream/unknown", RequestBody.ofStream(new ByteArrayInputStream(content), -1));
    client.put(
        bucket, "stream/empty", RequestBody.ofStream(new ByteArrayInputStream(new byte[0]), 0));
    assertArrayEquals(content, client.getBytes(bucket, "stream/known"));
    assertArrayEquals(content, client.getBytes(bucket, "stream/unknown"));
    assertEquals(0, client.getBytes(bucket, "stream/empty").length);
  }

  @Test
  void uploadThroughATargetInsteadOfTheGatewayIsRefused() throws Exception {
    AisNode target = client.clusterMap().targets().get(0);
    AisClient direct =
        AisClient.create(AisClientConfig.builder(target.publicUrl().toString()).build());
    AisException e =
        assertThrows(AisException.class, () -> direct.put(bucket, "direct", new byte[] {1}));
    assertEquals(
        404,
        assertThrows(AisException.class, () -> client.headObject(bucket, "direct")).status(),
        "nothing stored: " + e.getMessage());
  }

  @Test
  void multipartUploadShowsTheObjectOnlyWhenCompleteAndAbortLeavesNothing() throws Exception {
    byte[] content = randomBytes(5 * MIB + 123, 3);
    MultipartOutputStream upload = client.openUpload(bucket, "mpu/whole", MIB);
    upload.write(content, 0, 3 * MIB);
    assertTrue(
        client.listObjects(bucket, ListOptions.prefix("mpu/")).isEmpty(),
        "invisible while uploading");
    upload.write(content, 3 * MIB, content.length - 3 * MIB);
    upload.close();
    assertArrayEquals(content, client.getBytes(bucket, "mpu/whole"));

    MultipartOutputStream abandoned = client.openUpload(bucket, "mpu/abandoned", MIB);
    abandoned.write(content);
    abandoned.abort();
    assertEquals(
        List.of("mpu/whole"),
        client.listObjects(bucket, ListOptions.prefix("mpu/")).stream()
            .map(ObjectEntry::name)
            .collect(Collectors.toList()));

    client.rename(bucket, "mpu/whole", "mpu/renamed");
    assertArrayEquals(content, client.getBytes(bucket, "mpu/renamed"));
    assertEquals(
        404,
        assertThrows(AisException.class, () -> client.headObject(bucket, "mpu/whole")).status());
  }

  @Test
  void partThatFailsInTheBackgroundFailsTheUploadAndLeavesNothing() throws Exception {
    byte[] content = randomBytes(5 * MIB, 4);
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      AisClient viaProxy = clientFor(proxy);
      proxy.failNextRequest("^PUT [^ ]*partNumber=2", 404);
      MultipartOutputStream upload = viaProxy.openUpload(bucket, "mpu/failing", MIB);
      AisException e =
          assertThrows(
              AisException.class,
              () -> {
                upload.write(content);
                upload.close();
              });
      assertEquals(404, e.status());
      assertEquals("injected by FaultProxy", e.aisMessage());
      assertThrows(
          java.io.IOException.class, () -> upload.write(1), "no more writes after a failure");
      upload.abort();
    }
    assertEquals(
        404,
        assertThrows(AisException.class, () -> client.headObject(bucket, "mpu/failing")).status());
  }

  @Test
  void pendingUploadIsAbandonedEvenByAnInterruptedThread() throws Exception {
    MultipartOutputStream upload = client.openPendingUpload(bucket, "mpu/pending", MIB);
    upload.write(randomBytes(3 * MIB + 5, 6));
    upload.close();
    String uploadId = upload.uploadId();
    assertEquals(4, upload.parts());
    assertEquals(
        404,
        assertThrows(AisException.class, () -> client.headObject(bucket, "mpu/pending")).status(),
        "a pending upload is invisible after close");
    Thread.currentThread().interrupt(); // as in a task that Spark kills
    try {
      upload.abort();
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
    assertEquals(
        404,
        assertThrows(
                AisException.class,
                () ->
                    client.completeMultipartUpload(bucket, "mpu/pending", uploadId, 4, 3 * MIB + 5))
            .status(),
        "the upload is gone");
  }

  @Test
  void putReportsVersionAndChecksum() throws Exception {
    ObjectProps first = client.put(bucket, "versioned", new byte[] {1});
    ObjectProps second = client.put(bucket, "versioned", new byte[] {2});
    assertNotNull(first.checksum());
    assertFalse(first.checksum().equals(second.checksum()));
    assertEquals(second.version(), client.headObject(bucket, "versioned").version());
  }

  @Test
  void rangeReadsReturnExactBytes() throws Exception {
    assertRange(0, 1);
    assertRange(12345, 1000);
    assertRange(big.length - 10, 10);
    assertRange(5 * MIB - 3, 2 * MIB + 5);
    try (ObjectReadStream tail = client.get(bucket, "big.bin", big.length - 100, -1)) {
      assertArrayEquals(
          java.util.Arrays.copyOfRange(big, big.length - 100, big.length), tail.readAllBytes());
      assertEquals(big.length, tail.props().size());
    }
  }

  private void assertRange(long offset, int length) throws Exception {
    try (ObjectReadStream in = client.get(bucket, "big.bin", offset, length)) {
      assertArrayEquals(
          java.util.Arrays.copyOfRange(big, (int) offset, (int) offset + length),
          in.readAllBytes(),
          "range " + offset + "+" + length);
    }
  }

  @ParameterizedTest(name = "{0} threads, {1}-byte chunks")
  @CsvSource({
    "1, 8388608",
    "4, 1048576",
    "8, 3145735",
    "3, 67108864",
    "16, 67108865",
    "64, 4194304"
  })
  void parallelRangeReadEqualsSequentialRead(int threads, int chunkSize) throws Exception {
    byte[] sequential = client.getBytes(bucket, "big.bin");
    assertArrayEquals(big, sequential);
    try (InputStream in = client.getParallel(bucket, "big.bin", big.length, threads, chunkSize)) {
      assertArrayEquals(sequential, in.readAllBytes());
    }
  }

  @Test
  void parallelReadOfEmptyAndSmallObjects() throws Exception {
    client.put(bucket, "empty", new byte[0]);
    client.put(bucket, "small", new byte[] {7, 8, 9});
    try (InputStream in = client.getParallel(bucket, "empty", 0, 4, MIB)) {
      assertEquals(-1, in.read());
    }
    try (InputStream in = client.getParallel(bucket, "small", 3, 4, MIB)) {
      assertArrayEquals(new byte[] {7, 8, 9}, in.readAllBytes());
    }
  }

  @Test
  void parallelReadFailureNamesObjectAndRange() {
    AisException e =
        assertThrows(
            AisException.class,
            () -> {
              try (InputStream in = client.getParallel(bucket, "never-written", 10 * MIB, 2, MIB)) {
                in.readAllBytes();
              }
            });
    assertEquals("never-written", e.object());
    assertTrue(e.getMessage().contains("bytes 0-1048575"), e.getMessage());
  }

  @Test
  void connectionCutMidStreamIsResumedWithExactBytes() throws Exception {
    ObjectEntry entry =
        client
            .listObjects(bucket, ListOptions.prefix("big.bin").withProps("name,size,location"))
            .get(0);
    AisNode holder = client.clusterMap().target(entry.targetId());
    // Reads from a target are served directly (no redirect), so a proxy in front of it sees the
    // body.
    try (FaultProxy proxy = new FaultProxy(holder.publicUrl())) {
      AisClient viaProxy = clientFor(proxy);
      proxy.cutNextResponseAfter(10 * MIB + 123);
      try (ObjectReadStream in = viaProxy.get(bucket, "big.bin")) {
        assertArrayEquals(big, in.readAllBytes());
        assertEquals(1, in.resumes());
      }
      assertEquals(1, viaProxy.stats().retries());
      assertEquals(2, proxy.connections());
    }
  }

  @Test
  void stalledStreamTimesOutAndIsResumed() throws Exception {
    client.put(bucket, "stall/me", java.util.Arrays.copyOf(big, 3 * MIB));
    ObjectEntry entry =
        client
            .listObjects(bucket, ListOptions.prefix("stall/me").withProps("name,size,location"))
            .get(0);
    try (FaultProxy proxy =
        new FaultProxy(client.clusterMap().target(entry.targetId()).publicUrl())) {
      AisClient viaProxy =
          AisClient.create(
              AisClientConfig.builder(proxy.uri().toString())
                  .readTimeout(Duration.ofSeconds(1))
                  .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                  .build());
      proxy.stallNextResponseAfter(MIB);
      try (ObjectReadStream in = viaProxy.get(bucket, "stall/me")) {
        assertArrayEquals(java.util.Arrays.copyOf(big, 3 * MIB), in.readAllBytes());
        assertEquals(1, in.resumes());
      }
    }
  }

  @Test
  void injected503IsRetried() throws Exception {
    client.put(bucket, "retry/me", new byte[] {42});
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      AisClient viaProxy = clientFor(proxy);
      proxy.failNextConnections(2, 503);
      assertArrayEquals(new byte[] {42}, viaProxy.getBytes(bucket, "retry/me"));
      assertEquals(2, viaProxy.stats().retries());
    }
  }

  @Test
  void persistent503FailsAfterTheLastAttempt() throws Exception {
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      AisClient viaProxy = clientFor(proxy);
      proxy.failNextConnections(100, 503);
      AisException e =
          assertThrows(AisException.class, () -> viaProxy.getBytes(bucket, "retry/me"));
      assertEquals(503, e.status());
      assertEquals("injected by FaultProxy", e.aisMessage());
      assertEquals(3, proxy.connections());
    }
  }

  @Test
  void getBatchAnswersInRequestOrderAndReportsMissing() throws Exception {
    client.put(bucket, "batch/a", "alpha".getBytes(StandardCharsets.UTF_8));
    client.put(bucket, "batch/b", "beta".getBytes(StandardCharsets.UTF_8));
    client.put(bucket, "batch/empty", new byte[0]);
    List<BatchItem> items =
        List.of(
            BatchItem.object(bucket, "batch/b"),
            BatchItem.object(bucket, "batch/missing"),
            BatchItem.object(bucket, "batch/empty"),
            BatchItem.object(bucket, "batch/a"));
    List<String> answers = new ArrayList<>();
    try (BatchReader reader = client.getBatch(items)) {
      while (reader.hasNext()) {
        BatchReader.Entry e = reader.next();
        answers.add(
            e.item().object()
                + "="
                + (e.isMissing()
                    ? "MISSING"
                    : new String(e.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    assertEquals(
        List.of("batch/b=beta", "batch/missing=MISSING", "batch/empty=", "batch/a=alpha"), answers);
  }

  private static AisClient clientFor(FaultProxy proxy) {
    return AisClient.create(
        AisClientConfig.builder(proxy.uri().toString())
            .maxAttempts(3)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .build());
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] out = new byte[size];
    new Random(seed).nextBytes(out);
    return out;
  }
}
