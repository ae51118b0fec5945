package io.sparkaistore.source.options;

import static io.sparkaistore.source.options.AisOption.bool;
import static io.sparkaistore.source.options.AisOption.bytes;
import static io.sparkaistore.source.options.AisOption.choice;
import static io.sparkaistore.source.options.AisOption.duration;
import static io.sparkaistore.source.options.AisOption.nonNegativeInt;
import static io.sparkaistore.source.options.AisOption.positiveInt;
import static io.sparkaistore.source.options.AisOption.text;

import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.source.options.AisOption.Scope;
import io.sparkaistore.wds.KeyRule;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every option of the {@code ais} data source, each with its scope, default and meaning: the one
 * place they are written ({@code docs/options.md} is generated from them). Any option can also be
 * set for the session as {@code spark.datasource.ais.<name>}. {@link OptionValues} reads them.
 */
public final class AisOptions {
  private static final Map<String, AisOption<?>> ALL = new LinkedHashMap<>();

  private AisOptions() {}

  private static <T> AisOption<T> add(AisOption<T> option) {
    ALL.put(option.name().toLowerCase(Locale.ROOT), option);
    return option;
  }

  /** The row model of a read or a write. */
  public enum Layout {
    OBJECTS,
    WEBDATASET,
    MEMBERS,
    ZIPPED
  }

  /** What a read does with malformed samples and unreadable shards. */
  public enum Mode {
    FAILFAST,
    DROPMALFORMED
  }

  /** What a zipped read does with sources of unequal length. */
  public enum ZipMismatch {
    SHORTEST,
    FAIL
  }

  /** How written shards are compressed. */
  public enum Compression {
    NONE(".tar"),
    GZIP(".tar.gz");

    private final String suffix;

    Compression(String suffix) {
      this.suffix = suffix;
    }

    /** The suffix of a shard written with this compression. */
    public String shardSuffix() {
      return suffix;
    }
  }

  /** How written shards are named (see {@link #SHARD_NAMES}). */
  public enum ShardNaming {
    SEQUENTIAL,
    PARTITION
  }

  /** AIS gateway URL; else {@code AIS_ENDPOINT}; else {@code http://localhost:8080}. */
  public static final AisOption<String> ENDPOINT =
      add(
          text(
              "endpoint",
              Scope.CONNECTION,
              "$AIS_ENDPOINT, else http://localhost:8080",
              "AIS gateway (proxy) URL."));

  /**
   * AuthN bearer token; else {@code AIS_AUTHN_TOKEN} or the file at {@code AIS_AUTHN_TOKEN_FILE}.
   */
  public static final AisOption<String> AUTHN_TOKEN =
      add(
          text(
              "authnToken",
              Scope.CONNECTION,
              "$AIS_AUTHN_TOKEN or $AIS_AUTHN_TOKEN_FILE",
              "AuthN bearer token; " + "never printed."));

  /** A PEM file of CA certificates for an {@code https://} endpoint; else {@code AIS_CLIENT_CA}. */
  public static final AisOption<String> TLS_CA_CERT =
      add(
          text(
              "tlsCaCert",
              Scope.CONNECTION,
              "$AIS_CLIENT_CA",
              "PEM file of CA certificates "
                  + "trusted for an https:// endpoint besides the JVM's own; read on the driver, so executors need no copy."));

  /**
   * Accept any server certificate and host name; else {@code AIS_SKIP_VERIFY_CRT}. Testing only.
   */
  public static final AisOption<Boolean> TLS_SKIP_VERIFY =
      add(
          bool(
              "tlsSkipVerify",
              Scope.CONNECTION,
              "$AIS_SKIP_VERIFY_CRT, else false",
              "Accept any server "
                  + "certificate and host name: for testing only (logs a warning)."));

  /** The client certificate for mutual TLS, with {@link #TLS_CLIENT_KEY}; else {@code AIS_CRT}. */
  public static final AisOption<String> TLS_CLIENT_CERT =
      add(
          text(
              "tlsClientCert",
              Scope.CONNECTION,
              "$AIS_CRT",
              "PEM client certificate (chain), for clusters that "
                  + "require one (mutual TLS); needs tlsClientKey."));

  /** The client certificate's private key; else {@code AIS_CRT_KEY}. */
  public static final AisOption<String> TLS_CLIENT_KEY =
      add(
          text(
              "tlsClientKey",
              Scope.CONNECTION,
              "$AIS_CRT_KEY",
              "Unencrypted PEM private key "
                  + "of tlsClientCert: PKCS#8, PKCS#1 RSA or SEC1 EC (others: openssl pkcs8 -topk8 -nocrypt)."));

  /** One source, {@code provider://bucket/prefix}; what {@code load(path)} sets. */
  public static final AisOption<String> PATH =
      add(
          text(
              "path",
              Scope.SHARED,
              "(required)",
              "One source, e.g. ais://bucket/prefix/; reads "
                  + "take brace patterns and globs, e.g. ais://b/shard-{000000..000099}.tar (docs/reading.md)."));

  /** Several sources as a JSON array; what {@code load(p1, p2, ...)} sets. */
  public static final AisOption<String> PATHS =
      add(text("paths", Scope.SHARED, "", "Several sources as a JSON array of paths."));

  /** The row model: {@code objects}, {@code webdataset}, {@code members} or {@code zipped}. */
  public static final AisOption<Layout> LAYOUT =
      add(
          choice(
              "layout",
              Scope.SHARED,
              Layout.class,
              "objects",
              "Row model: objects (a row per object), "
                  + "webdataset (a row per sample of the shards), members (a row per file in the shards), zipped (row i holds "
                  + "the i-th file of each source)."));

  /**
   * How member names split into sample key and extension: {@code webdataset} or {@code aisPython}.
   */
  public static final AisOption<KeyRule> KEY_RULE =
      add(
          choice(
              "keyRule",
              Scope.READ,
              KeyRule.class,
              "webdataset",
              "webdataset: key = directories + name up "
                  + "to the first dot, extension = the rest; aisPython: key = file name up to the first dot, extension = after "
                  + "the last dot (AIS's AISShardReader)."));

  public static final AisOption<Boolean> LOWERCASE_EXTENSIONS =
      add(
          bool(
              "lowercaseExtensions",
              Scope.READ,
              "true",
              "Lower-case extensions (JPG and jpg are one column), as "
                  + "the webdataset library does."));

  /** Reading webdataset shards through their DALI indexes, fetching only what the query needs. */
  public static final AisOption<Boolean> USE_INDEX =
      add(
          bool(
              "useIndex",
              Scope.READ,
              "true",
              "Reading webdataset: a .tar shard with its DALI index beside it (<shard>.idx) is read "
                  + "through the index when that saves bytes: only the samples that key filters "
                  + "(=, IN, LIKE 'p%'), a join's runtime filter or TABLESAMPLE keep, only the "
                  + "members of the selected columns, and large shards split between tasks. false "
                  + "streams every shard whole."));

  /** The largest shard member read into a row. */
  public static final AisOption<Long> MAX_MEMBER_SIZE =
      add(
          bytes(
              "maxMemberSize",
              Scope.READ,
              "256m",
              1,
              Integer.MAX_VALUE - 8,
              "Largest member of a shard read "
                  + "into memory; a larger one fails (or is skipped in DROPMALFORMED mode)."));

  /** Shards whose member listing infers the webdataset schema. */
  public static final AisOption<Integer> SCHEMA_SAMPLE_SHARDS =
      add(
          nonNegativeInt(
              "schemaSampleShards",
              Scope.READ,
              "32",
              "Shards per source whose member listing infers "
                  + "the webdataset columns; 0 = all shards."));

  /** Where a read's partition directories start, when the path is below it. */
  public static final AisOption<String> BASE_PATH =
      add(
          text(
              "basePath",
              Scope.READ,
              "the path",
              "Reading webdataset: the directory partition directories (col=value/) start below, "
                  + "e.g. ais://b/out/ to read ais://b/out/split=train/ with its split column."));

  /**
   * What to do with malformed samples and unreadable shards: {@code FAILFAST} or {@code
   * DROPMALFORMED}.
   */
  public static final AisOption<Mode> MODE =
      add(
          choice(
              "mode",
              Scope.READ,
              Mode.class,
              "FAILFAST",
              "FAILFAST: bad shards and samples fail the read; "
                  + "DROPMALFORMED: they are skipped and counted, unless the corruption shows after rows of the shard were "
                  + "returned, which fails the read in every mode (docs/reading.md)."));

  /** Skip objects that are not readable shards, as Spark's file sources do. */
  public static final AisOption<Boolean> IGNORE_CORRUPT_FILES =
      add(
          bool(
              "ignoreCorruptFiles",
              Scope.READ,
              "spark.sql.files.ignoreCorruptFiles",
              "Skip and count objects "
                  + "that are not readable shards (not an archive, corrupt, truncated) when that shows "
                  + "before any of their rows; later it fails the read (docs/reading.md)."));

  /** Zipped streams of unequal length: {@code shortest} or {@code fail}. */
  public static final AisOption<ZipMismatch> ZIP_MISMATCH =
      add(
          choice(
              "zipMismatch",
              Scope.READ,
              ZipMismatch.class,
              "shortest",
              "zipped layout with sources of "
                  + "unequal length: shortest (stop at the shortest, warn and count) or fail."));

  /** Target bytes per partition, as in Spark's {@code spark.sql.files.maxPartitionBytes}. */
  public static final AisOption<Long> MAX_PARTITION_BYTES =
      add(
          bytes(
              "maxPartitionBytes",
              Scope.READ,
              "128m",
              1,
              Long.MAX_VALUE,
              "Target bytes per input partition " + "(bin-packing)."));

  /**
   * The cost of opening an object, in bytes, as in Spark's {@code spark.sql.files.openCostInBytes}.
   */
  public static final AisOption<Long> OPEN_COST_IN_BYTES =
      add(
          bytes(
              "openCostInBytes",
              Scope.READ,
              "256k",
              0,
              Long.MAX_VALUE,
              "Estimated cost of one object, added to " + "its size when packing."));

  /** Lower bound on the number of partitions the bytes are spread over. */
  public static final AisOption<Integer> MIN_PARTITIONS =
      add(
          positiveInt(
              "minPartitions",
              Scope.READ,
              "Spark's default parallelism",
              "Spread the bytes over at least " + "this many partitions."));

  /** Objects at least this large are read with parallel range requests. */
  public static final AisOption<Long> PARALLEL_READ_THRESHOLD =
      add(
          bytes(
              "parallelReadThreshold",
              Scope.READ,
              "1g",
              1,
              Long.MAX_VALUE,
              "Objects this large or larger are "
                  + "read with parallel range requests "
                  + "(lower it where one connection cannot fill the link: high latency, WAN, cloud backends)."));

  public static final AisOption<Integer> PARALLEL_READ_THREADS =
      add(
          positiveInt(
              "parallelReadThreads",
              Scope.READ,
              "4",
              "Concurrent range requests per large object."));
  public static final AisOption<Long> PARALLEL_READ_CHUNK_SIZE =
      add(
          bytes(
              "parallelReadChunkSize",
              Scope.READ,
              "4m",
              1,
              Integer.MAX_VALUE - 8,
              "Bytes per range request; " + "memory per object is threads x chunk."));

  /** Objects per GetBatch request; 1 reads every object with its own GET. */
  public static final AisOption<Integer> GET_BATCH_SIZE =
      add(
          positiveInt(
              "getBatchSize",
              Scope.READ,
              "1",
              "Small objects fetched per GetBatch request; 1 = one GET " + "per object."));

  /** Objects smaller than this go through GetBatch (when {@code getBatchSize} > 1). */
  public static final AisOption<Long> GET_BATCH_MAX_OBJECT_SIZE =
      add(
          bytes(
              "getBatchMaxObjectSize",
              Scope.READ,
              "1m",
              1,
              Long.MAX_VALUE,
              "Only objects smaller than this are " + "fetched with GetBatch."));

  /** Entries per list-objects page; 0 leaves it to AIS (10,000 for ais:// buckets). */
  public static final AisOption<Integer> LIST_PAGE_SIZE =
      add(
          nonNegativeInt(
              "listPageSize",
              Scope.READ,
              "0",
              "Entries per list-objects request; 0 = AIS's default " + "page size."));

  /** Name of an AIS inline ETL applied to every object read. */
  public static final AisOption<String> ETL =
      add(text("etl", Scope.READ, "", "AIS inline ETL (etl_name) applied to every object read."));

  public static final AisOption<String> ETL_ARGS =
      add(text("etlArgs", Scope.READ, "", "Arguments for the ETL (etl_args)."));
  public static final AisOption<Duration> CONNECT_TIMEOUT =
      add(
          duration(
              "connectTimeout",
              Scope.CONNECTION,
              AisClientConfig.DEFAULT_CONNECT_TIMEOUT,
              "TCP connect timeout."));
  public static final AisOption<Duration> READ_TIMEOUT =
      add(
          duration(
              "readTimeout",
              Scope.CONNECTION,
              AisClientConfig.DEFAULT_READ_TIMEOUT,
              "Longest wait for a response, and for any read of a " + "body to progress."));

  /**
   * Retries of a failing request end when either its attempts or its {@link #RETRY_TIMEOUT} run
   * out.
   */
  public static final AisOption<Integer> MAX_ATTEMPTS =
      add(
          positiveInt(
              "maxAttempts",
              Scope.CONNECTION,
              String.valueOf(AisClientConfig.DEFAULT_MAX_ATTEMPTS),
              "Most attempts per request (429/5xx, "
                  + "connection errors and answers that break off are retried); with the default backoff, 30 attempts outlast "
                  + "retryTimeout, which then decides."));

  /**
   * How long after a request's first failure it is still retried: the longest node outage a job
   * rides out.
   */
  // A target restarted by its supervisor is back within about 30 s: retries span 45 s, and
  // maxAttempts leaves enough attempts for the backoff to fill that time, so that time, not the
  // count, ends them.
  public static final AisOption<Duration> RETRY_TIMEOUT =
      add(
          duration(
              "retryTimeout",
              Scope.CONNECTION,
              AisClientConfig.DEFAULT_RETRY_TIMEOUT,
              "No retry starts later than this after "
                  + "a request's first failure (for a stream, after its last progress): long enough to wait out a target's "
                  + "restart (docs/faults.md)."));

  public static final AisOption<Duration> RETRY_BACKOFF =
      add(
          duration(
              "retryBackoff",
              Scope.CONNECTION,
              AisClientConfig.DEFAULT_RETRY_BACKOFF,
              "Wait before the first retry; it "
                  + "doubles with each retry up to retryMaxBackoff (each wait drawn from half to all of it)."));
  public static final AisOption<Duration> RETRY_MAX_BACKOFF =
      add(
          duration(
              "retryMaxBackoff",
              Scope.CONNECTION,
              AisClientConfig.DEFAULT_RETRY_MAX_BACKOFF,
              "Longest wait between two attempts."));

  /** Writing: a shard closes after this many samples. */
  public static final AisOption<Integer> MAX_SAMPLES_PER_SHARD =
      add(
          positiveInt(
              "maxSamplesPerShard",
              Scope.WRITE,
              "10000",
              "Writing webdataset: a shard holds at most this " + "many samples."));

  /** Writing: a shard closes before it would grow past this many bytes. */
  public static final AisOption<Long> MAX_SHARD_BYTES =
      add(
          bytes(
              "maxShardBytes",
              Scope.WRITE,
              "1g",
              1,
              Long.MAX_VALUE,
              "Writing webdataset: a shard stays within "
                  + "this many bytes (a larger sample gets a shard of its own)."));

  /** Writing: {@code none} for .tar shards, {@code gzip} for .tar.gz. */
  public static final AisOption<Compression> COMPRESSION =
      add(
          choice(
              "compression",
              Scope.WRITE,
              Compression.class,
              "none",
              "Writing webdataset: none (.tar) or gzip " + "(.tar.gz)."));

  /**
   * Writing webdataset: {@code sequential} names shards {@code shard-000000.tar} up, contiguous for
   * brace patterns, which costs a copy of every shard at job commit; {@code partition} names them
   * {@code shard-<job>-<partition>-<sequence>.tar}, known when the task starts, so each is uploaded
   * under its final name and published without a copy (docs/writing.md).
   */
  public static final AisOption<ShardNaming> SHARD_NAMES =
      add(
          choice(
              "shardNames",
              Scope.WRITE,
              ShardNaming.class,
              "sequential",
              "Writing webdataset: sequential "
                  + "(shard-000000.tar..., renamed into place at job commit) or partition "
                  + "(shard-JOB-PPPPP-SSSS.tar, uploaded under the final name and published without a copy)."));

  /**
   * Writing webdataset: with each {@code .tar} shard, its index {@code <shard>.idx} in NVIDIA
   * DALI's {@code wds2idx} format, published with the shard (docs/writing.md).
   */
  public static final AisOption<Boolean> SHARD_INDEX =
      add(
          bool(
              "shardIndex",
              Scope.WRITE,
              "true",
              "Writing webdataset: with each .tar shard, its index in NVIDIA DALI's wds2idx format "
                  + "(v1.2) beside it (shard-000000.tar.idx), published and removed with the shard; .tar.gz shards "
                  + "get none."));

  /**
   * Writing: the part size of uploads; a task holds up to two parts (one filling, one in flight).
   */
  public static final AisOption<Long> UPLOAD_PART_SIZE =
      add(
          bytes(
              "uploadPartSize",
              Scope.WRITE,
              "16m",
              1,
              Integer.MAX_VALUE - 8,
              "Writing: larger shards are "
                  + "uploaded in parts of this size; a task holds up to two parts in memory."));

  /** Writing: concurrent requests of the job commit (renames or completions, deletions). */
  public static final AisOption<Integer> COMMIT_THREADS =
      add(
          positiveInt(
              "commitThreads",
              Scope.WRITE,
              "8",
              "Writing: concurrent renames (or upload completions) and "
                  + "deletions when the job commits."));

  /**
   * Writing: how long another write's commit lock may go unrenewed before a waiting commit gives
   * up.
   */
  public static final AisOption<Duration> COMMIT_LOCK_TIMEOUT =
      add(
          duration(
              "commitLockTimeout",
              Scope.WRITE,
              "2m",
              "Writing: a job commit waits while another write to the "
                  + "same path commits; it fails, naming that write, "
                  + "if the other's lock goes this long without being renewed (its driver died)."));

  /** Skip objects deleted between planning and reading, as Spark's file sources do. */
  public static final AisOption<Boolean> IGNORE_MISSING_FILES =
      add(
          bool(
              "ignoreMissingFiles",
              Scope.READ,
              "spark.sql.files.ignoreMissingFiles",
              "Skip and count objects " + "deleted after planning."));

  /** Every option, in documentation order. */
  public static List<AisOption<?>> all() {
    return List.copyOf(ALL.values());
  }

  /**
   * A catalog table's options as one side takes them: a table's options serve its reads and its
   * writes alike, so each drops the other side's (scope {@code other}) instead of refusing them.
   */
  public static Map<String, String> withoutScope(Map<String, String> options, Scope other) {
    Map<String, String> kept = new HashMap<>(options);
    kept.keySet()
        .removeIf(
            k -> {
              AisOption<?> option = named(k);
              return option != null && option.scope() == other;
            });
    return kept;
  }

  /** The option of that name in any case, or null. */
  static AisOption<?> named(String name) {
    return ALL.get(name.toLowerCase(Locale.ROOT));
  }
}
