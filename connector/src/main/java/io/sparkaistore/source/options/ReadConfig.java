package io.sparkaistore.source.options;

import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.source.options.AisOption.Scope;
import io.sparkaistore.source.options.AisOptions.Layout;
import io.sparkaistore.wds.KeyRule;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;

/**
 * The options of a read, parsed and checked once on the driver: what planning uses here, and what
 * the tasks use in {@link #tasks()}. A read refuses write options.
 */
public final class ReadConfig {
  private final ReadTaskConfig tasks;
  private final int schemaSampleShards;
  private final int listPageSize;
  private final long maxPartitionBytes;
  private final long openCostInBytes;
  private final int minPartitions;
  private final String basePath;

  /** What the session contributes to a read's defaults. */
  public static final class SessionDefaults {
    final int defaultParallelism;
    final boolean ignoreMissingFiles;
    final boolean ignoreCorruptFiles;

    public SessionDefaults(
        int defaultParallelism, boolean ignoreMissingFiles, boolean ignoreCorruptFiles) {
      this.defaultParallelism = defaultParallelism;
      this.ignoreMissingFiles = ignoreMissingFiles;
      this.ignoreCorruptFiles = ignoreCorruptFiles;
    }

    /** The active session's: its default parallelism and {@code spark.sql.files.ignore*Files}. */
    public static SessionDefaults current() {
      return new SessionDefaults(
          SparkSession.active().sparkContext().defaultParallelism(),
          SQLConf.get().ignoreMissingFiles(),
          SQLConf.get().ignoreCorruptFiles());
    }
  }

  private ReadConfig(OptionValues options, Map<String, String> env, SessionDefaults session) {
    options.refuse(Scope.WRITE, "read", "writes");
    List<AisPath> paths = options.paths();
    AisClientConfig client = ConnectionConfig.parse(options, env);
    this.maxPartitionBytes = options.get(AisOptions.MAX_PARTITION_BYTES);
    this.openCostInBytes = options.get(AisOptions.OPEN_COST_IN_BYTES);
    this.minPartitions =
        options.get(AisOptions.MIN_PARTITIONS, Math.max(1, session.defaultParallelism));
    this.schemaSampleShards = options.get(AisOptions.SCHEMA_SAMPLE_SHARDS);
    this.listPageSize = options.get(AisOptions.LIST_PAGE_SIZE);
    this.basePath = basePath(options, paths);
    this.tasks =
        new ReadTaskConfig(
            options, paths, client, session.ignoreMissingFiles, session.ignoreCorruptFiles);
  }

  /** The {@code basePath} option's prefix, checked to hold every path; null when not given. */
  private static String basePath(OptionValues options, List<AisPath> paths) {
    if (!options.has(AisOptions.BASE_PATH)) {
      return null;
    }
    AisPath base = AisPath.parse(options.get(AisOptions.BASE_PATH));
    String directory =
        base.prefix().isEmpty() || base.prefix().endsWith("/")
            ? base.prefix()
            : base.prefix() + "/";
    for (AisPath path : paths) {
      if (base.isPattern()
          || !path.bucket().equals(base.bucket())
          || !(path.prefix() + "/").startsWith(directory)) {
        throw new IllegalArgumentException(
            "Option '"
                + AisOptions.BASE_PATH
                + "' is "
                + base
                + ", which is not a directory holding the path "
                + path
                + "; set it to a literal directory above every path, e.g. ais://bucket/out/");
      }
    }
    return directory;
  }

  /** Parses a read's options, with the process environment and the active session's defaults. */
  public static ReadConfig parse(OptionValues options) {
    return parse(options, System.getenv(), SessionDefaults.current());
  }

  /**
   * Parses a read's options with the given environment and session defaults (no session needed).
   */
  public static ReadConfig parse(
      OptionValues options, Map<String, String> env, SessionDefaults session) {
    return new ReadConfig(options, env, session);
  }

  /** What the read's tasks are sent. */
  public ReadTaskConfig tasks() {
    return tasks;
  }

  public List<AisPath> paths() {
    return tasks.paths();
  }

  public AisClientConfig clientConfig() {
    return tasks.clientConfig();
  }

  public Layout layout() {
    return tasks.layout();
  }

  public KeyRule keyRule() {
    return tasks.keyRule();
  }

  public boolean lowercaseExtensions() {
    return tasks.lowercaseExtensions();
  }

  public boolean useIndex() {
    return tasks.useIndex();
  }

  /** Shards per source sampled to infer the webdataset schema; 0 means all. */
  public int schemaSampleShards() {
    return schemaSampleShards;
  }

  public int listPageSize() {
    return listPageSize;
  }

  public long maxPartitionBytes() {
    return maxPartitionBytes;
  }

  public long openCostInBytes() {
    return openCostInBytes;
  }

  public int minPartitions() {
    return minPartitions;
  }

  /**
   * The directory (ending with '/', or empty) partition directories start below, from option {@code
   * basePath}; null when not given.
   */
  public String basePath() {
    return basePath;
  }
}
