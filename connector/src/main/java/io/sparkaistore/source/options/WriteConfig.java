package io.sparkaistore.source.options;

import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.client.Provider;
import io.sparkaistore.source.options.AisOption.Scope;
import io.sparkaistore.source.options.AisOptions.Compression;
import io.sparkaistore.source.options.AisOptions.Layout;
import io.sparkaistore.source.options.AisOptions.ShardNaming;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of a write, parsed and checked once on the driver: one {@code ais://} path, a layout
 * that can be written, what the job commit uses here and what the tasks use in {@link #tasks()}. A
 * write refuses read options.
 */
public final class WriteConfig {
  private final AisPath path;
  private final Layout layout;
  private final WriteTaskConfig tasks;
  private final int commitThreads;
  private final Duration commitLockTimeout;

  private WriteConfig(OptionValues options, Map<String, String> env) {
    options.refuse(Scope.READ, "write", "reads");
    List<AisPath> paths = options.paths();
    this.layout = options.get(AisOptions.LAYOUT);
    AisClientConfig client = ConnectionConfig.parse(options, env);
    this.tasks = new WriteTaskConfig(options, client);
    this.commitThreads = options.get(AisOptions.COMMIT_THREADS);
    this.commitLockTimeout = options.get(AisOptions.COMMIT_LOCK_TIMEOUT);
    if (layout != Layout.OBJECTS && layout != Layout.WEBDATASET) {
      throw new IllegalArgumentException(
          "Layout "
              + layout.name().toLowerCase(Locale.ROOT)
              + " can be read but not written; write with layout webdataset or objects");
    }
    if (paths.size() != 1) {
      throw new IllegalArgumentException("A write goes to one path; got " + paths);
    }
    this.path = paths.get(0);
    if (path.isPattern()) {
      throw new IllegalArgumentException(
          "Cannot write to "
              + path
              + ": option '"
              + AisOptions.PATH.name()
              + "' holds a brace pattern or glob, which only reads expand. Write to one literal "
              + "prefix, e.g. ais://bucket/dir/, and escape a literal {, }, [, ], *, ? or , in it "
              + "with a backslash");
    }
    if (path.bucket().provider() != Provider.AIS) {
      throw new IllegalArgumentException(
          "Cannot write to "
              + path
              + ": writes need an ais:// bucket (the commit "
              + "renames objects into place, which AIS does within its own buckets only)");
    }
  }

  /** Parses a write's options, with the process environment. */
  public static WriteConfig parse(OptionValues options) {
    return parse(options, System.getenv());
  }

  static WriteConfig parse(OptionValues options, Map<String, String> env) {
    return new WriteConfig(options, env);
  }

  /** What the write's tasks are sent. */
  public WriteTaskConfig tasks() {
    return tasks;
  }

  public AisPath path() {
    return path;
  }

  public Layout layout() {
    return layout;
  }

  public AisClientConfig clientConfig() {
    return tasks.clientConfig();
  }

  public Compression compression() {
    return tasks.compression();
  }

  public ShardNaming shardNaming() {
    return tasks.shardNaming();
  }

  public int commitThreads() {
    return commitThreads;
  }

  public Duration commitLockTimeout() {
    return commitLockTimeout;
  }
}
