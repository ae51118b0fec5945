package io.sparkaistore.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Finds out what AIS did with a request that changes state when its answer did not say: the answer
 * was lost (no status), or a retry of it was told that what it acts on is gone (404), which is what
 * a retry sees when the first attempt got through. Each check looks at the objects themselves; one
 * that cannot be made counts as "not done", so the caller reports the original failure.
 */
final class WhatAisDid {
  /** How long an open outcome is watched for before it counts as "not done". */
  private static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(10);

  private final AisClient client;

  WhatAisDid(AisClient client) {
    this.client = client;
  }

  /**
   * Whether a failure leaves the outcome open: no answer at all, or a 404 that a retry may have
   * caused.
   */
  static boolean isOpen(AisException e) {
    return e.status() == 0 || e.isNotFound();
  }

  /**
   * A rename is done when the new name holds the source's size and checksum and the old name is
   * gone.
   */
  boolean renamed(AisBucket bucket, String object, String newName, ObjectProps source) {
    ObjectProps now = props(bucket, newName);
    return now != null && sameContent(source, now) && gone(bucket, object);
  }

  /**
   * {@code check}, asked again for a while: the first attempt of a request whose answer was lost
   * may still be at work in AIS (a completion moving its chunks into place answers a retry 404
   * "failed to finalize" before the object shows), and AIS shows the outcome whole or not at all.
   */
  static boolean eventually(Check check) throws AisException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      if (check.done()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** A look at AIS that says whether an outcome shows; it throws when it cannot look. */
  @FunctionalInterface
  interface Check {
    boolean done() throws AisException;
  }

  /** A part is stored when AIS lists it: it lists a part only once the part is whole. */
  boolean partStored(AisBucket bucket, String object, String uploadId, int partNumber)
      throws AisException {
    return client.storedParts(bucket, object, uploadId).contains(partNumber);
  }

  /** A copy is done when the new name holds the source's size and checksum. */
  boolean copied(AisBucket bucket, String newName, ObjectProps source) {
    ObjectProps now = props(bucket, newName);
    return now != null && sameContent(source, now);
  }

  /** A completion is done when the object is there with the size of its parts. */
  boolean completed(AisBucket bucket, String object, long size) {
    ObjectProps now = props(bucket, object);
    return now != null && now.size() == size;
  }

  /** A delete is done when the object is gone: AIS answers 404 for it. */
  boolean gone(AisBucket bucket, String object) {
    try {
      client.headObject(bucket, object);
      return false;
    } catch (AisException e) {
      return e.isNotFound();
    }
  }

  /**
   * A PUT is done when the object holds exactly the body's bytes (only a body that can be read
   * again is compared).
   */
  boolean stored(AisBucket bucket, String object, RequestBody body) {
    ObjectProps now = props(bucket, object);
    if (now == null || now.size() != body.length() || !body.replayable()) {
      return false;
    }
    try (InputStream sent = body.open();
        InputStream held = client.get(bucket, object)) {
      return sameBytes(sent, held);
    } catch (IOException e) {
      return false;
    }
  }

  private ObjectProps props(AisBucket bucket, String object) {
    try {
      return client.headObject(bucket, object);
    } catch (AisException e) {
      return null;
    }
  }

  /**
   * Same size, and the same checksum where AIS reports one for both (AIS keeps it across a rename
   * or copy).
   */
  static boolean sameContent(ObjectProps a, ObjectProps b) {
    return a.size() == b.size()
        && (a.checksum() == null
            || b.checksum() == null
            || (Objects.equals(a.checksumType(), b.checksumType())
                && a.checksum().equals(b.checksum())));
  }

  private static boolean sameBytes(InputStream a, InputStream b) throws IOException {
    byte[] x = new byte[64 * 1024];
    byte[] y = new byte[x.length];
    while (true) {
      int n = a.readNBytes(x, 0, x.length);
      if (b.readNBytes(y, 0, y.length) != n || !Arrays.equals(x, 0, n, y, 0, n)) {
        return false;
      }
      if (n < x.length) {
        return true;
      }
    }
  }
}
