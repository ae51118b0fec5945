package io.sparkaistore.source.write;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisPath;
import java.io.Serializable;
import java.util.Locale;

/**
 * Where a write goes: a bucket and a directory-like prefix (the path with a trailing {@code /}),
 * and the names a write uses inside it: the job's staging area, the shards and the manifest. Names
 * with a component starting with {@code _} are not read by the connector, as in Spark's file
 * sources.
 */
public final class WriteTarget implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String STAGING_DIR = "_temporary/";
  static final String MANIFEST = "_manifest.json";

  final AisBucket bucket;
  final String prefix;
  final String queryId;

  WriteTarget(AisPath path, String queryId) {
    this(path.bucket(), directory(path), queryId);
  }

  private WriteTarget(AisBucket bucket, String prefix, String queryId) {
    this.bucket = bucket;
    this.prefix = prefix;
    this.queryId = queryId;
  }

  /** The prefix a write to {@code path} puts its objects under: the path as a directory. */
  public static String directory(AisPath path) {
    return path.prefix().isEmpty() || path.prefix().endsWith("/")
        ? path.prefix()
        : path.prefix() + "/";
  }

  /** Whether {@code name} is in some write's staging area under {@code directory}. */
  public static boolean isStaging(String directory, String name) {
    return name.startsWith(directory + STAGING_DIR);
  }

  /**
   * Everything this job stages lives here, so that a commit or an abort can clear it in one sweep.
   */
  String stagingPrefix() {
    return prefix + STAGING_DIR + queryId + "/";
  }

  String staged(int partitionId, long taskId, int sequence, String suffix) {
    return stagingPrefix() + partitionId + "-" + taskId + "-" + sequence + suffix;
  }

  /**
   * The final name of a shard under {@code shardNames=partition}: known when the task starts,
   * unique to this job (a tag of its query id), and ordered by partition and sequence within the
   * job.
   */
  String partitionShard(int partitionId, int sequence, String suffix) {
    return partitionShard("", partitionId, sequence, suffix);
  }

  /** {@link #partitionShard(int, int, String)} in the partition directory {@code directory}. */
  String partitionShard(String directory, int partitionId, int sequence, String suffix) {
    return String.format(
        Locale.ROOT,
        "%s%sshard-%s-%05d-%04d%s",
        prefix,
        directory,
        jobTag(),
        partitionId,
        sequence,
        suffix);
  }

  /** This target's partition directory {@code directory}, where its shards are numbered. */
  WriteTarget below(String directory) {
    return directory.isEmpty() ? this : new WriteTarget(bucket, prefix + directory, queryId);
  }

  /** Up to 12 letters and digits of the query id: the hex digits that start a UUID. */
  private String jobTag() {
    String tag = queryId.replaceAll("[^0-9A-Za-z]", "").toLowerCase(Locale.ROOT);
    return tag.substring(0, Math.min(12, tag.length()));
  }

  String manifest() {
    return prefix + MANIFEST;
  }

  @Override
  public String toString() {
    return bucket + "/" + prefix;
  }
}
