package io.sparkaistore.source.options;

import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.client.Etl;
import io.sparkaistore.source.options.AisOptions.Layout;
import io.sparkaistore.wds.KeyRule;
import java.io.Serializable;
import java.util.List;

/** What the tasks of a read use: how to reach AIS, fetch objects and turn shards into rows. */
public final class ReadTaskConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<AisPath> paths;
  private final AisClientConfig clientConfig;
  private final Layout layout;
  private final KeyRule keyRule;
  private final boolean lowercaseExtensions;
  private final boolean useIndex;
  private final long maxMemberSize;
  private final boolean dropMalformed;
  private final boolean ignoreCorruptFiles;
  private final boolean zipMismatchFails;
  private final long parallelReadThreshold;
  private final int parallelReadThreads;
  private final int parallelReadChunkSize;
  private final int getBatchSize;
  private final long getBatchMaxObjectSize;
  private final Etl etl;
  private final boolean ignoreMissingFiles;

  ReadTaskConfig(
      OptionValues options,
      List<AisPath> paths,
      AisClientConfig clientConfig,
      boolean ignoreMissingFiles,
      boolean ignoreCorruptFiles) {
    this.paths = paths;
    this.clientConfig = clientConfig;
    this.layout = options.get(AisOptions.LAYOUT);
    this.keyRule = options.get(AisOptions.KEY_RULE);
    this.lowercaseExtensions = options.get(AisOptions.LOWERCASE_EXTENSIONS);
    this.useIndex = options.get(AisOptions.USE_INDEX);
    this.maxMemberSize = options.get(AisOptions.MAX_MEMBER_SIZE);
    this.dropMalformed = options.get(AisOptions.MODE) == AisOptions.Mode.DROPMALFORMED;
    this.ignoreCorruptFiles = options.get(AisOptions.IGNORE_CORRUPT_FILES, ignoreCorruptFiles);
    this.zipMismatchFails = options.get(AisOptions.ZIP_MISMATCH) == AisOptions.ZipMismatch.FAIL;
    this.parallelReadThreshold = options.get(AisOptions.PARALLEL_READ_THRESHOLD);
    this.parallelReadThreads = options.get(AisOptions.PARALLEL_READ_THREADS);
    this.parallelReadChunkSize = Math.toIntExact(options.get(AisOptions.PARALLEL_READ_CHUNK_SIZE));
    this.getBatchSize = options.get(AisOptions.GET_BATCH_SIZE);
    this.getBatchMaxObjectSize = options.get(AisOptions.GET_BATCH_MAX_OBJECT_SIZE);
    String etlName = options.get(AisOptions.ETL);
    if (etlName == null && options.has(AisOptions.ETL_ARGS)) {
      throw new IllegalArgumentException(
          "Option '"
              + AisOptions.ETL_ARGS
              + "' needs option '"
              + AisOptions.ETL
              + "' (the ETL's name)");
    }
    this.etl = etlName == null ? null : new Etl(etlName, options.get(AisOptions.ETL_ARGS));
    this.ignoreMissingFiles = options.get(AisOptions.IGNORE_MISSING_FILES, ignoreMissingFiles);
  }

  public List<AisPath> paths() {
    return paths;
  }

  public AisClientConfig clientConfig() {
    return clientConfig;
  }

  public Layout layout() {
    return layout;
  }

  public KeyRule keyRule() {
    return keyRule;
  }

  public boolean lowercaseExtensions() {
    return lowercaseExtensions;
  }

  public boolean useIndex() {
    return useIndex;
  }

  public long maxMemberSize() {
    return maxMemberSize;
  }

  /** Whether malformed samples and members are skipped and counted rather than failing the read. */
  public boolean dropMalformed() {
    return dropMalformed;
  }

  /** Whether objects that are not readable shards are skipped and counted. */
  public boolean skipCorruptShards() {
    return ignoreCorruptFiles || dropMalformed;
  }

  public boolean zipMismatchFails() {
    return zipMismatchFails;
  }

  public long parallelReadThreshold() {
    return parallelReadThreshold;
  }

  public int parallelReadThreads() {
    return parallelReadThreads;
  }

  public int parallelReadChunkSize() {
    return parallelReadChunkSize;
  }

  public int getBatchSize() {
    return getBatchSize;
  }

  public long getBatchMaxObjectSize() {
    return getBatchMaxObjectSize;
  }

  /** The inline ETL, or null. */
  public Etl etl() {
    return etl;
  }

  public boolean ignoreMissingFiles() {
    return ignoreMissingFiles;
  }
}
