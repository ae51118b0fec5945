package io.sparkaistore.source.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.client.RequestBody;
import io.sparkaistore.source.AisOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of the commit protocol (docs/writing.md). Tasks stage objects under
 * {@code <path>/_temporary/<query id>/}, or, for shards named by partition, leave multipart uploads
 * pending under their final names. Committing the job puts each committed attempt's objects in place:
 * a staged one with AIS's rename (a copy that shows the whole object or nothing), numbering shards in
 * (partition, sequence) order after every shard already there, so that no rename lands on an object
 * the write might have to give back; a pending one by completing its upload. Once every object is in
 * place the write is committed; then an overwrite removes what it replaces, the manifest is written,
 * and the staging area is swept, which also removes what failed or speculative attempts left. Aborting
 * before that point removes what the commit placed, abandons the pending uploads and sweeps the
 * staging area; after it, nothing committed is removed.
 */
final class JobCommit {
  private static final Logger LOG = LoggerFactory.getLogger(JobCommit.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AisClient client;
  private final AisOptions options;
  private final WriteTarget target;
  private final boolean truncate;
  private final boolean shards;
  private final boolean numberShards;
  private final List<String> placed = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean committed;

  JobCommit(AisOptions options, WriteTarget target, boolean truncate) {
    this.client = AisClient.create(options.clientConfig());
    this.options = options;
    this.target = target;
    this.truncate = truncate;
    this.shards = options.layout() == AisOptions.Layout.WEBDATASET;
    this.numberShards = shards && !options.shardNamesByPartition();
  }

  /** Requests the job commit retried so far. */
  long retries() {
    return client.stats().retries();
  }

  /** The shard name pattern under the path: {@code <path>shard-NNNNNN.tar[.gz]}. */
  private Pattern shardName() {
    return Pattern.compile(Pattern.quote(target.prefix + "shard-") + "(\\d{6,9})\\.tar(\\.gz)?");
  }

  void commit(WriterCommitMessage[] messages) throws IOException {
    List<StagedObject> staged = staged(messages);
    staged.sort(Comparator.<StagedObject>comparingInt(o -> o.partitionId).thenComparingInt(o -> o.sequence));
    Set<String> existing = existingObjects();
    List<String> finals = numberShards ? shardNames(staged, existing) : givenNames(staged, existing);
    parallel(staged.size(), i -> {
      placed.add(finals.get(i)); // before the request: an interrupted one may still complete in AIS
      publish(staged.get(i), finals.get(i));
    });
    committed = true;
    try {
      if (truncate) {
        List<String> replaced = new ArrayList<>(existing);
        replaced.removeAll(new HashSet<>(finals));
        replaced.remove(target.manifest()); // rewritten below for shards, removed for objects
        if (!shards) {
          replaced.add(target.manifest());
        }
        parallel(replaced.size(), i -> Staging.deleteIfPresent(client, target, replaced.get(i)));
      }
      if (shards) {
        writeManifest(staged, finals, existing.contains(target.manifest()) && !truncate);
      }
    } catch (IOException e) {
      throw new IOException("The new objects are in place under " + target + ", but finishing the write failed: "
          + e.getMessage() + (truncate ? "; objects it replaces may remain" : "") + ". Run the write again in "
          + "overwrite mode, or remove them by hand.", e);
    } finally {
      sweepStaging();
    }
    LOG.info("Committed {} object(s) to {}", finals.size(), target);
  }

  void abort(WriterCommitMessage[] messages) {
    if (!committed) {
      List<StagedObject> pending = new ArrayList<>();
      for (StagedObject o : staged(messages)) {
        if (o.isPending()) {
          pending.add(o);
        }
      }
      bestEffort(placed.size(), i -> Staging.deleteIfPresent(client, target, placed.get(i)));
      bestEffort(pending.size(), i -> Staging.discard(client, target, pending.get(i)));
    }
    sweepStaging();
  }

  /** Runs every step of a clean-up even when some fail, and logs those. */
  private void bestEffort(int count, Step step) {
    try {
      parallel(count, i -> {
        try {
          step.run(i);
        } catch (IOException e) {
          LOG.warn("Abort of the write to {}: step {} of {} failed: {}", target, i + 1, count, e.getMessage());
        }
      });
    } catch (IOException e) {
      LOG.warn("Abort of the write to {} was interrupted: {}", target, e.getMessage());
    }
  }

  private static List<StagedObject> staged(WriterCommitMessage[] messages) {
    List<StagedObject> staged = new ArrayList<>();
    for (WriterCommitMessage m : messages == null ? new WriterCommitMessage[0] : messages) {
      if (m != null) {
        staged.addAll(((AisCommitMessage) m).staged);
      }
    }
    return staged;
  }

  /** Puts one object under its final name: a staged one by renaming it, a pending one by completing its upload. */
  private void publish(StagedObject o, String finalName) throws AisException {
    if (!o.isPending()) {
      if (renamesIntact(finalName)) {
        client.rename(target.bucket, o.stagingName, finalName);
      } else {
        copyThrough(o, finalName);
      }
      if (!isWhole(finalName, o.bytes)) {
        throw new AisException("AIS reported " + o.stagingName + " moved to " + finalName + ", but " + finalName
            + " is not there with its " + o.bytes + " bytes", target.bucket.toString(), finalName, null);
      }
      return;
    }
    try {
      client.completeMultipartUpload(target.bucket, finalName, o.uploadId, o.parts);
    } catch (AisException e) {
      // A retried completion whose first try got through finds the upload gone and the object whole.
      if (!e.isNotFound() || !isWhole(finalName, o.bytes)) {
        throw e;
      }
    }
  }

  /**
   * Whether AIS's rename keeps {@code name} as it is. AIS 5.0's {@code rename-obj} cuts a new name at
   * {@code ?} and loses names with some {@code %} sequences or spaces when the name belongs to another
   * target (it passes the name on unescaped); names of letters, digits and {@code - . _ ~ /} are safe.
   */
  static boolean renamesIntact(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
      if (!safe) {
        return false;
      }
    }
    return true;
  }

  /** Publishes a staged object whose name a rename would mangle: streamed from its staging name into a PUT. */
  private void copyThrough(StagedObject o, String finalName) throws AisException {
    try (InputStream in = client.get(target.bucket, o.stagingName)) {
      client.put(target.bucket, finalName, RequestBody.ofStream(in, o.bytes));
    } catch (AisException e) {
      throw e;
    } catch (IOException e) {
      throw new AisException("Cannot copy " + o.stagingName + " to " + finalName + ": " + e, target.bucket.toString(),
          finalName, e);
    }
  }

  private boolean isWhole(String name, long bytes) {
    try {
      return client.headObject(target.bucket, name).size() == bytes;
    } catch (AisException e) {
      return false;
    }
  }

  /** Objects already under the path, without this or any other job's staging area. */
  private Set<String> existingObjects() throws AisException {
    Set<String> names = new HashSet<>();
    for (ObjectEntry e : client.listObjects(target.bucket, ListOptions.prefix(target.prefix))) {
      if (!WriteTarget.isStaging(target.prefix, e.name())) {
        names.add(e.name());
      }
    }
    return names;
  }

  /** Shard names numbered after every shard already there (in an overwrite too, which removes those later). */
  private List<String> shardNames(List<StagedObject> staged, Set<String> existing) {
    int next = 0;
    for (String name : existing) {
      Matcher m = shardName().matcher(name);
      if (m.matches()) {
        next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
      }
    }
    String suffix = options.gzip() ? ".tar.gz" : ".tar";
    List<String> names = new ArrayList<>();
    for (int i = 0; i < staged.size(); i++) {
      names.add(String.format(Locale.ROOT, "%sshard-%06d%s", target.prefix, next + i, suffix));
    }
    return names;
  }

  /**
   * The names the tasks gave: the rows' own names, unique, and in an append new, so that nothing there
   * is replaced silently; or the names of shards named by partition, which carry this job's tag.
   */
  private List<String> givenNames(List<StagedObject> staged, Set<String> existing) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (StagedObject o : staged) {
      if (o.isPending() && existing.contains(o.finalName)) {
        throw new IllegalStateException("Shard '" + o.finalName + "' already exists under " + target + ": another "
            + "write used the same job tag (the start of the query id). Nothing was replaced; run the write again.");
      }
      if (!seen.add(o.finalName)) {
        throw new IllegalArgumentException("Two rows name the same object '" + o.finalName + "'; one would silently "
            + "replace the other. Make the names unique (e.g. dropDuplicates(\"name\")).");
      }
      if (!truncate && existing.contains(o.finalName)) {
        throw new IllegalArgumentException("Object '" + o.finalName + "' already exists under " + target + "; an "
            + "append does not replace objects. Write in overwrite mode to replace what is there.");
      }
      names.add(o.finalName);
    }
    return names;
  }

  /** {@code _manifest.json}: every shard of the path with its samples, bytes and CRC-32C. */
  private void writeManifest(List<StagedObject> staged, List<String> finals, boolean merge) throws IOException {
    ObjectNode manifest = JSON.createObjectNode().put("format", "webdataset").put("writer", "spark-aistore");
    ArrayNode list = manifest.putArray("shards");
    if (merge) {
      JsonNode previous = JSON.readTree(client.getBytes(target.bucket, target.manifest()));
      previous.path("shards").forEach(list::add);
    }
    for (int i = 0; i < staged.size(); i++) {
      StagedObject o = staged.get(i);
      list.addObject().put("name", finals.get(i)).put("samples", o.samples).put("bytes", o.bytes)
          .put("crc32c", String.format(Locale.ROOT, "%08x", o.crc32c));
    }
    long samples = 0;
    long bytes = 0;
    for (JsonNode s : list) {
      samples += s.path("samples").asLong();
      bytes += s.path("bytes").asLong();
    }
    manifest.put("samples", samples).put("bytes", bytes);
    client.put(target.bucket, target.manifest(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
  }

  /**
   * Deletes everything under this job's staging prefix: leftovers of failed and speculative attempts.
   * Best effort: what remains is under {@code _temporary/}, which readers skip, and is logged.
   */
  private void sweepStaging() {
    try {
      List<ObjectEntry> left = client.listObjects(target.bucket, ListOptions.prefix(target.stagingPrefix()));
      parallel(left.size(), i -> Staging.deleteIfPresent(client, target, left.get(i).name()));
    } catch (IOException e) {
      LOG.warn("Could not clear the staging area {}{}: {}", target.bucket + "/", target.stagingPrefix(), e.getMessage());
    }
  }

  private interface Step {
    void run(int index) throws IOException;
  }

  /** Runs {@code count} steps on {@code commitThreads} threads; the first failure fails the whole. */
  private void parallel(int count, Step step) throws IOException {
    if (count == 0) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, options.commitThreads()));
    List<Future<?>> results = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        int index = i;
        results.add(pool.submit(() -> {
          step.run(index);
          return null;
        }));
      }
      for (Future<?> r : results) {
        r.get();
      }
    } catch (ExecutionException e) {
      // Steps not started never start; those running finish, so that an abort sees what they did in AIS.
      results.forEach(r -> r.cancel(false));
      pool.shutdown();
      awaitQuietly(pool);
      throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while committing the write to " + target);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
