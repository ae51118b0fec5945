package io.sparkaistore.source.write;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets one job at a time commit to a path, so that concurrent writes neither number shards alike
 * nor lose each other's manifest entries. AIS 5.0 has no conditional request (no {@code If-Match}
 * or {@code If-None-Match} on PUT) and no lock, so this one is built from PUT, DELETE and list,
 * each of which AIS applies whole and in order: a job announces itself with an intent object under
 * {@code <path>/_temporary/_commit/}, named by its start time and query id, and holds the lock once
 * a listing made after its own PUT shows no other intent. Two jobs cannot both hold it: of two PUTs
 * one comes last, and the listing after it shows the other. A job that sees an earlier intent
 * withdraws its own until that one is gone, so the earliest goes first and two jobs never wait on
 * each other.
 *
 * <p>A job renews its intent while it waits or commits; an intent that stops changing for {@code
 * commitLockTimeout} belongs to a driver that died, and a waiting job then fails, naming it, rather
 * than take a lock whose holder may still be at work.
 */
final class CommitLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommitLock.class);
  static final String DIR = WriteTarget.STAGING_DIR + "_commit/";

  private final AisClient client;
  private final WriteTarget target;
  private final Duration timeout;
  private final String intent;
  private final ScheduledExecutorService renewer;
  private final Map<String, Observed> others = new HashMap<>();
  private boolean holding; // guarded by this: renewals never bring back a withdrawn intent
  private long renewals;

  private CommitLock(AisClient client, WriteTarget target, Duration timeout) {
    this.client = client;
    this.target = target;
    this.timeout = timeout;
    this.intent =
        String.format(
            Locale.ROOT,
            "%s%s%013d-%s",
            target.prefix,
            DIR,
            System.currentTimeMillis(),
            target.queryId);
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ais-commit-lock");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Waits until this job may commit to the path; fails if the job it waits for stopped renewing its
   * intent.
   */
  static CommitLock acquire(AisClient client, WriteTarget target, Duration timeout)
      throws IOException {
    CommitLock lock = new CommitLock(client, target, timeout);
    try {
      lock.await();
      return lock;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private void await() throws IOException {
    long every = Math.max(1, timeout.toMillis() / 4);
    // Stopped by shutting the renewer down; renew() reports its own failures, so nothing awaits the
    // task.
    Future<?> unused =
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    while (true) {
      List<ObjectEntry> seen = otherIntents();
      boolean earlier = seen.stream().anyMatch(e -> e.name().compareTo(intent) < 0);
      if (isHolding() && seen.isEmpty()) {
        return;
      }
      if (isHolding() && earlier) {
        withdraw();
      } else if (!isHolding() && !earlier) {
        announce();
        continue; // list again, after the PUT
      }
      checkAlive(seen);
      pause(Math.min(500, every));
    }
  }

  private List<ObjectEntry> otherIntents() throws AisException {
    return client
        .listObjects(
            target.bucket, ListOptions.prefix(target.prefix + DIR).withProps("name,version,atime"))
        .stream()
        .filter(e -> !e.name().equals(intent))
        .collect(Collectors.toList());
  }

  private synchronized boolean isHolding() {
    return holding;
  }

  private synchronized void announce() throws AisException {
    put();
    holding = true;
  }

  private synchronized void withdraw() throws AisException {
    holding = false;
    client.delete(target.bucket, intent);
  }

  private synchronized void renew() {
    try {
      if (holding) {
        put();
      }
    } catch (AisException e) {
      LOG.warn("Could not renew the commit lock {}: {}", intent, e.getMessage());
    }
  }

  /** Each PUT changes the content, so that others see the intent change. */
  private void put() throws AisException {
    String body =
        String.format(
            Locale.ROOT,
            "{\"query\":\"%s\",\"renewed\":\"%s\",\"renewals\":%d}%n",
            target.queryId,
            Instant.now(),
            renewals++);
    client.put(target.bucket, intent, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Fails once another job's intent has not changed (version or access time) for the timeout. */
  private void checkAlive(List<ObjectEntry> seen) throws IOException {
    long now = System.nanoTime();
    others.keySet().retainAll(seen.stream().map(ObjectEntry::name).collect(Collectors.toSet()));
    for (ObjectEntry e : seen) {
      String state = e.version() + "@" + e.atime();
      Observed o = others.get(e.name());
      if (o == null || !o.state.equals(state)) {
        others.put(e.name(), new Observed(state, now));
        LOG.info("The write to {} waits for the commit of another write ({})", target, e.name());
      } else if (now - o.since > timeout.toNanos()) {
        throw stale(e.name());
      }
    }
  }

  private IOException stale(String name) {
    String query = name.substring(name.lastIndexOf('/') + 1).replaceFirst("^\\d+-", "");
    return new IOException(
        "Cannot commit the write to "
            + target
            + ": another write to it (query "
            + query
            + ") holds the commit lock "
            + name
            + " but has not renewed it for "
            + timeout.toSeconds()
            + "s: its driver probably died while committing. If "
            + "no other write to this path is running, check "
            + target.prefix
            + WriteTarget.STAGING_DIR
            + query
            + "/ for objects a failed overwrite set aside (listed in "
            + SetAside.JOURNAL
            + ", docs/writing.md), then "
            + "delete "
            + name
            + " and write again.");
  }

  private static void pause(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the commit lock");
    }
  }

  /**
   * Stops renewing and removes the intent: the next job may commit. An intent that cannot be
   * removed does not fail a write that is done; it goes stale, and the next write to the path fails
   * naming it.
   */
  @Override
  public void close() {
    renewer.shutdown(); // a renewal in progress finishes before the intent is deleted
    try {
      renewer.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      withdraw();
    } catch (AisException e) {
      LOG.warn(
          "Could not remove the commit lock {}/{}: {}; the next write to {} waits commitLockTimeout for it, "
              + "then fails naming it",
          target.bucket,
          intent,
          e.getMessage(),
          target);
    }
  }

  private static final class Observed {
    final String state;
    final long since;

    Observed(String state, long since) {
      this.state = state;
      this.since = since;
    }
  }
}
