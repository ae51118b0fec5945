package io.sparkaistore.client;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what a client sent and received, read by the Spark layer for its UI metrics. */
public final class ClientStats {
  private final LongAdder requests = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder fetchNanos = new LongAdder();

  /** HTTP requests sent, counting every redirect hop and every retry. */
  public long requests() {
    return requests.sum();
  }

  /** Requests and broken streams that were tried again. */
  public long retries() {
    return retries.sum();
  }

  /** Response-body bytes delivered to callers of object reads. */
  public long bytesRead() {
    return bytesRead.sum();
  }

  /** Time spent waiting for AIS: until response headers, and inside object-body reads. */
  public long fetchNanos() {
    return fetchNanos.sum();
  }

  void countRequest() {
    requests.increment();
  }

  void countRetry() {
    retries.increment();
  }

  void countBytes(long n) {
    bytesRead.add(n);
  }

  void countFetchNanos(long n) {
    fetchNanos.add(n);
  }
}
