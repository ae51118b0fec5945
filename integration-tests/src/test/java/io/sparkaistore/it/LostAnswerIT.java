package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.MultipartOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests that change state, carried out by AIS while their answer is lost (FaultProxy sends them
 * on and resets the client's connection): the client's retry then finds the work done (a rename's
 * source gone, an upload completed, an object deleted) and finds out what AIS did instead of
 * failing on 404.
 */
class LostAnswerIT {
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "lost-answer");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  @Test
  void renameWhoseAnswerIsLostIsDone() throws Exception {
    byte[] content = AisClientIT.randomBytes(100_000, 1);
    client.put(bucket, "rename/src", content);
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.loseAnswerToNextRequest("^POST /v1/objects/[^/]+/rename/src");
      clientFor(proxy).rename(bucket, "rename/src", "rename/dst");
      assertEquals(1, proxy.lostAnswers());
    }
    assertArrayEquals(content, client.getBytes(bucket, "rename/dst"));
    assertEquals(
        404,
        assertThrows(AisException.class, () -> client.headObject(bucket, "rename/src")).status());
  }

  @Test
  void renameOfAMissingObjectStillFails() throws Exception {
    AisException e =
        assertThrows(
            AisException.class, () -> client.rename(bucket, "rename/none", "rename/other"));
    assertEquals(404, e.status());
  }

  @Test
  void completionWhoseAnswerIsLostIsDone() throws Exception {
    byte[] content = AisClientIT.randomBytes(3 * 1024 * 1024 + 7, 2);
    MultipartOutputStream upload = client.openPendingUpload(bucket, "mpu/lost", 1024 * 1024);
    upload.write(content);
    upload.close();
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.loseAnswerToNextRequest("^POST [^ ]*[?&]uploadId=");
      clientFor(proxy)
          .completeMultipartUpload(
              bucket, "mpu/lost", upload.uploadId(), upload.parts(), upload.bytes());
      assertEquals(1, proxy.lostAnswers());
    }
    assertArrayEquals(content, client.getBytes(bucket, "mpu/lost"));
  }

  /**
   * AIS 5.0 loses a part stored twice (the second copy is written over the first one's file, which
   * is then removed as the replaced copy), so the client must not send again a part AIS already
   * holds.
   */
  @Test
  void partWhoseAnswerIsLostIsStoredOnce() throws Exception {
    byte[] content = AisClientIT.randomBytes(3 * 1024 * 1024 + 11, 4);
    try (FaultyCluster faulty = FaultyCluster.start()) {
      faulty.loseAnswerAtTargets("^PUT [^ ]*[?&]partNumber=2[& ]");
      MultipartOutputStream upload =
          clientFor(faulty.endpoint().toString())
              .openPendingUpload(bucket, "mpu/part-lost", 1024 * 1024);
      upload.write(content);
      upload.close();
      assertEquals(1, faulty.lostAnswers());
      client.completeMultipartUpload(
          bucket, "mpu/part-lost", upload.uploadId(), upload.parts(), upload.bytes());
    }
    assertArrayEquals(content, client.getBytes(bucket, "mpu/part-lost"));
  }

  @Test
  void completionOfAnAbandonedUploadStillFails() throws Exception {
    MultipartOutputStream upload = client.openPendingUpload(bucket, "mpu/abandoned", 1024);
    upload.write(new byte[3000]);
    upload.close();
    String uploadId = upload.uploadId();
    upload.abort();
    AisException e =
        assertThrows(
            AisException.class,
            () -> client.completeMultipartUpload(bucket, "mpu/abandoned", uploadId, 3, 3000));
    assertEquals(404, e.status());
  }

  @Test
  void deleteWhoseAnswerIsLostIsDone() throws Exception {
    client.put(bucket, "delete/me", new byte[] {1, 2, 3});
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.loseAnswerToNextRequest("^DELETE /v1/objects/[^/]+/delete/me");
      clientFor(proxy).delete(bucket, "delete/me");
      assertEquals(1, proxy.lostAnswers());
    }
    assertEquals(
        404,
        assertThrows(AisException.class, () -> client.headObject(bucket, "delete/me")).status());
  }

  @Test
  void copyKeepsTheBytesAndChecksum() throws Exception {
    byte[] content = AisClientIT.randomBytes(200_000, 3);
    client.put(bucket, "copy/src", content);
    client.copy(bucket, "copy/src", "copy/spa ce?q=1");
    assertArrayEquals(content, client.getBytes(bucket, "copy/spa ce?q=1"));
    assertEquals(
        client.headObject(bucket, "copy/src").checksum(),
        client.headObject(bucket, "copy/spa ce?q=1").checksum());
  }

  private static AisClient clientFor(FaultProxy proxy) {
    return clientFor(proxy.uri().toString());
  }

  private static AisClient clientFor(String endpoint) {
    return AisClient.create(
        AisClientConfig.builder(endpoint)
            .maxAttempts(3)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .build());
  }
}
