package io.sparkaistore.source;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.client.Etl;
import io.sparkaistore.wds.KeyRule;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.network.util.JavaUtils;

/**
 * Every option of the {@code ais} data source, parsed and validated once, on the driver. A bad value
 * fails with the option's name, the value and what is allowed; an unknown option fails too rather than
 * being ignored. Any option can also be set for the session as {@code spark.datasource.ais.<name>}.
 * Immutable and serializable: executors get the parsed values, never the raw map.
 */
public final class AisOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One documented option: its name, its default as a user would write it, and what it does. */
  public static final class Spec {
    public final String name;
    public final String defaultValue;
    public final String doc;

    Spec(String name, String defaultValue, String doc) {
      this.name = name;
      this.defaultValue = defaultValue;
      this.doc = doc;
    }
  }

  private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

  private static String option(String name, String defaultValue, String doc) {
    SPECS.put(name.toLowerCase(Locale.ROOT), new Spec(name, defaultValue, doc));
    return name;
  }

  /** AIS gateway URL; else {@code AIS_ENDPOINT}; else {@code http://localhost:8080}. */
  public static final String ENDPOINT =
      option("endpoint", "$AIS_ENDPOINT, else http://localhost:8080", "AIS gateway (proxy) URL.");
  /** AuthN bearer token; else {@code AIS_AUTHN_TOKEN} or the file at {@code AIS_AUTHN_TOKEN_FILE}. */
  public static final String AUTHN_TOKEN =
      option("authnToken", "$AIS_AUTHN_TOKEN or $AIS_AUTHN_TOKEN_FILE", "AuthN bearer token; never printed.");
  /** A PEM file of CA certificates for an {@code https://} endpoint; else {@code AIS_CLIENT_CA}. */
  public static final String TLS_CA_CERT = option("tlsCaCert", "$AIS_CLIENT_CA", "PEM file of CA certificates "
      + "trusted for an https:// endpoint besides the JVM's own; read on the driver, so executors need no copy.");
  /** Accept any server certificate and host name; else {@code AIS_SKIP_VERIFY_CRT}. Testing only. */
  public static final String TLS_SKIP_VERIFY = option("tlsSkipVerify", "$AIS_SKIP_VERIFY_CRT, else false",
      "Accept any server certificate and host name: for testing only (logs a warning).");
  /** The client certificate for mutual TLS, with {@link #TLS_CLIENT_KEY}; else {@code AIS_CRT}. */
  public static final String TLS_CLIENT_CERT = option("tlsClientCert", "$AIS_CRT",
      "PEM client certificate (chain), for clusters that require one (mutual TLS); needs tlsClientKey.");
  /** The client certificate's private key; else {@code AIS_CRT_KEY}. */
  public static final String TLS_CLIENT_KEY = option("tlsClientKey", "$AIS_CRT_KEY", "Unencrypted PEM private key "
      + "of tlsClientCert: PKCS#8, PKCS#1 RSA or SEC1 EC (others: openssl pkcs8 -topk8 -nocrypt).");
  /** One source, {@code provider://bucket/prefix}; what {@code load(path)} sets. */
  public static final String PATH = option("path", "(required)", "One source, e.g. ais://bucket/prefix/.");
  /** Several sources as a JSON array; what {@code load(p1, p2, ...)} sets. */
  public static final String PATHS = option("paths", "", "Several sources as a JSON array of paths.");
  /** The row model: {@code objects}, {@code webdataset}, {@code members} or {@code zipped}. */
  public static final String LAYOUT = option("layout", "objects", "Row model: objects (a row per object), "
      + "webdataset (a row per sample of the shards), members (a row per file in the shards), zipped (row i holds "
      + "the i-th file of each source).");
  /** How member names split into sample key and extension: {@code webdataset} or {@code aisPython}. */
  public static final String KEY_RULE = option("keyRule", "webdataset", "webdataset: key = directories + name up "
      + "to the first dot, extension = the rest; aisPython: key = file name up to the first dot, extension = after "
      + "the last dot (AIS's AISShardReader).");
  public static final String LOWERCASE_EXTENSIONS = option("lowercaseExtensions", "true",
      "Lower-case extensions (JPG and jpg are one column), as the webdataset library does.");
  /** The largest shard member read into a row. */
  public static final String MAX_MEMBER_SIZE = option("maxMemberSize", "256m",
      "Largest member of a shard read into memory; a larger one fails (or is skipped in DROPMALFORMED mode).");
  /** Shards whose member listing infers the webdataset schema. */
  public static final String SCHEMA_SAMPLE_SHARDS = option("schemaSampleShards", "32",
      "Shards per source whose member listing infers the webdataset columns; 0 = all shards.");
  /** What to do with malformed samples and unreadable shards: {@code FAILFAST} or {@code DROPMALFORMED}. */
  public static final String MODE = option("mode", "FAILFAST", "FAILFAST: bad shards and samples fail the read; "
      + "DROPMALFORMED: they are skipped and counted, unless the corruption shows after rows of the shard were "
      + "returned, which fails the read in every mode (docs/reading.md).");
  /** Skip objects that are not readable shards, as Spark's file sources do. */
  public static final String IGNORE_CORRUPT_FILES = option("ignoreCorruptFiles", "spark.sql.files.ignoreCorruptFiles",
      "Skip and count objects that are not readable shards (not an archive, corrupt, truncated) when that shows "
          + "before any of their rows; later it fails the read (docs/reading.md).");
  /** Zipped streams of unequal length: {@code shortest} or {@code fail}. */
  public static final String ZIP_MISMATCH = option("zipMismatch", "shortest", "zipped layout with sources of "
      + "unequal length: shortest (stop at the shortest, warn and count) or fail.");
  /** Target bytes per partition, as in Spark's {@code spark.sql.files.maxPartitionBytes}. */
  public static final String MAX_PARTITION_BYTES =
      option("maxPartitionBytes", "128m", "Target bytes per input partition (bin-packing).");
  /** The cost of opening an object, in bytes, as in Spark's {@code spark.sql.files.openCostInBytes}. */
  public static final String OPEN_COST_IN_BYTES =
      option("openCostInBytes", "256k", "Estimated cost of one object, added to its size when packing.");
  /** Lower bound on the number of partitions the bytes are spread over. */
  public static final String MIN_PARTITIONS =
      option("minPartitions", "Spark's default parallelism", "Spread the bytes over at least this many partitions.");
  /** Objects at least this large are read with parallel range requests. */
  public static final String PARALLEL_READ_THRESHOLD =
      option("parallelReadThreshold", "1g", "Objects this large or larger are read with parallel range requests "
          + "(lower it where one connection cannot fill the link: high latency, WAN, cloud backends).");
  public static final String PARALLEL_READ_THREADS =
      option("parallelReadThreads", "4", "Concurrent range requests per large object.");
  public static final String PARALLEL_READ_CHUNK_SIZE =
      option("parallelReadChunkSize", "4m", "Bytes per range request; memory per object is threads x chunk.");
  /** Objects per GetBatch request; 1 reads every object with its own GET. */
  public static final String GET_BATCH_SIZE =
      option("getBatchSize", "1", "Small objects fetched per GetBatch request; 1 = one GET per object.");
  /** Objects smaller than this go through GetBatch (when {@code getBatchSize} > 1). */
  public static final String GET_BATCH_MAX_OBJECT_SIZE =
      option("getBatchMaxObjectSize", "1m", "Only objects smaller than this are fetched with GetBatch.");
  /** Entries per list-objects page; 0 leaves it to AIS (10,000 for ais:// buckets). */
  public static final String LIST_PAGE_SIZE =
      option("listPageSize", "0", "Entries per list-objects request; 0 = AIS's default page size.");
  /** Name of an AIS inline ETL applied to every object read. */
  public static final String ETL = option("etl", "", "AIS inline ETL (etl_name) applied to every object read.");
  public static final String ETL_ARGS = option("etlArgs", "", "Arguments for the ETL (etl_args).");
  public static final String CONNECT_TIMEOUT = option("connectTimeout", "10s", "TCP connect timeout.");
  public static final String READ_TIMEOUT =
      option("readTimeout", "60s", "Longest wait for a response, and for any read of a body to progress.");
  /** Retries of a failing request end when either its attempts or its {@link #RETRY_TIMEOUT} run out. */
  public static final String MAX_ATTEMPTS = option("maxAttempts", "30", "Most attempts per request (429/5xx, "
      + "connection errors and answers that break off are retried); with the default backoff, 30 attempts outlast "
      + "retryTimeout, which then decides.");
  /** How long after a request's first failure it is still retried: the longest node outage a job rides out. */
  public static final String RETRY_TIMEOUT = option("retryTimeout", "45s", "No retry starts later than this after "
      + "a request's first failure (for a stream, after its last progress): long enough to wait out a target's "
      + "restart (docs/faults.md).");
  public static final String RETRY_BACKOFF = option("retryBackoff", "200ms", "Wait before the first retry; it "
      + "doubles with each retry up to retryMaxBackoff (each wait drawn from half to all of it).");
  public static final String RETRY_MAX_BACKOFF = option("retryMaxBackoff", "5s", "Longest wait between two attempts.");
  /** Writing: a shard closes after this many samples. */
  public static final String MAX_SAMPLES_PER_SHARD = option("maxSamplesPerShard", "10000",
      "Writing webdataset: a shard holds at most this many samples.");
  /** Writing: a shard closes before it would grow past this many bytes. */
  public static final String MAX_SHARD_BYTES = option("maxShardBytes", "1g",
      "Writing webdataset: a shard stays within this many bytes (a larger sample gets a shard of its own).");
  /** Writing: {@code none} for .tar shards, {@code gzip} for .tar.gz. */
  public static final String COMPRESSION = option("compression", "none",
      "Writing webdataset: none (.tar) or gzip (.tar.gz).");
  /**
   * Writing webdataset: {@code sequential} names shards {@code shard-000000.tar} up, contiguous for
   * brace patterns, which costs a copy of every shard at job commit; {@code partition} names them
   * {@code shard-<job>-<partition>-<sequence>.tar}, known when the task starts, so each is uploaded
   * under its final name and published without a copy (docs/writing.md).
   */
  public static final String SHARD_NAMES = option("shardNames", "sequential",
      "Writing webdataset: sequential (shard-000000.tar..., renamed into place at job commit) or partition "
          + "(shard-JOB-PPPPP-SSSS.tar, uploaded under the final name and published without a copy).");
  /** Writing: the part size of uploads; a task holds up to two parts (one filling, one in flight). */
  public static final String UPLOAD_PART_SIZE = option("uploadPartSize", "16m",
      "Writing: larger shards are uploaded in parts of this size; a task holds up to two parts in memory.");
  /** Writing: concurrent requests of the job commit (renames or completions, deletions). */
  public static final String COMMIT_THREADS = option("commitThreads", "8",
      "Writing: concurrent renames (or upload completions) and deletions when the job commits.");
  /** Writing: how long another write's commit lock may go unrenewed before a waiting commit gives up. */
  public static final String COMMIT_LOCK_TIMEOUT = option("commitLockTimeout", "2m",
      "Writing: a job commit waits while another write to the same path commits; it fails, naming that write, "
          + "if the other's lock goes this long without being renewed (its driver died).");
  /** Skip objects deleted between planning and reading, as Spark's file sources do. */
  public static final String IGNORE_MISSING_FILES =
      option("ignoreMissingFiles", "spark.sql.files.ignoreMissingFiles", "Skip and count objects deleted after planning.");

  private final List<AisPath> paths;
  private final AisClientConfig clientConfig;
  private final long maxPartitionBytes;
  private final long openCostInBytes;
  private final int minPartitions;
  private final long parallelReadThreshold;
  private final int parallelReadThreads;
  private final int parallelReadChunkSize;
  private final int getBatchSize;
  private final long getBatchMaxObjectSize;
  private final int listPageSize;
  private final Etl etl;
  private final boolean ignoreMissingFiles;
  private final Layout layout;
  private final KeyRule keyRule;
  private final boolean lowercaseExtensions;
  private final long maxMemberSize;
  private final int schemaSampleShards;
  private final boolean dropMalformed;
  private final boolean ignoreCorruptFiles;
  private final boolean zipMismatchFails;
  private final int maxSamplesPerShard;
  private final long maxShardBytes;
  private final boolean gzip;
  private final boolean shardNamesByPartition;
  private final int uploadPartSize;
  private final int commitThreads;
  private final Duration commitLockTimeout;

  /** The row model of a read. */
  public enum Layout {
    OBJECTS,
    WEBDATASET,
    MEMBERS,
    ZIPPED
  }

  private AisOptions(Map<String, String> raw, Map<String, String> env, SessionDefaults defaults) {
    Parser p = new Parser(raw);
    this.paths = p.paths();
    this.layout = Layout.valueOf(
        p.string(LAYOUT, "objects", Set.of("objects", "webdataset", "members", "zipped")).toUpperCase(Locale.ROOT));
    this.keyRule = "aispython".equals(p.string(KEY_RULE, "webdataset", Set.of("webdataset", "aispython")))
        ? KeyRule.AIS_PYTHON : KeyRule.WEBDATASET;
    this.lowercaseExtensions = p.bool(LOWERCASE_EXTENSIONS, true);
    this.maxMemberSize = p.bytesAtMost(MAX_MEMBER_SIZE, "256m", Integer.MAX_VALUE - 8);
    this.schemaSampleShards = p.nonNegativeInt(SCHEMA_SAMPLE_SHARDS, 32);
    this.dropMalformed = "dropmalformed".equals(p.string(MODE, "failfast", Set.of("failfast", "dropmalformed")));
    this.ignoreCorruptFiles = p.bool(IGNORE_CORRUPT_FILES, defaults.ignoreCorruptFiles);
    this.zipMismatchFails = "fail".equals(p.string(ZIP_MISMATCH, "shortest", Set.of("shortest", "fail")));
    this.maxSamplesPerShard = p.positiveInt(MAX_SAMPLES_PER_SHARD, 10000);
    this.maxShardBytes = p.positiveBytes(MAX_SHARD_BYTES, "1g");
    this.gzip = "gzip".equals(p.string(COMPRESSION, "none", Set.of("none", "gzip")));
    this.shardNamesByPartition = "partition".equals(p.string(SHARD_NAMES, "sequential", Set.of("sequential", "partition")));
    this.uploadPartSize = (int) p.bytesAtMost(UPLOAD_PART_SIZE, "16m", Integer.MAX_VALUE - 8);
    this.commitThreads = p.positiveInt(COMMIT_THREADS, 8);
    this.commitLockTimeout = p.duration(COMMIT_LOCK_TIMEOUT, "2m");
    String endpoint = p.has(ENDPOINT) ? p.required(ENDPOINT) : AisClientConfig.endpointFromEnvironment(env);
    AisClientConfig.Builder client;
    try {
      client = AisClientConfig.builder(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid endpoint (option '" + ENDPOINT + "' or $"
          + AisClientConfig.ENV_ENDPOINT + "): " + e.getMessage(), e);
    }
    // An explicit token wins; the token file is then never read.
    client.token(p.has(AUTHN_TOKEN) ? p.required(AUTHN_TOKEN) : AisClientConfig.tokenFromEnvironment(env));
    tls(p, env, client);
    Duration backoff = p.duration(RETRY_BACKOFF, "200ms");
    Duration maxBackoff = p.duration(RETRY_MAX_BACKOFF, "5s");
    if (backoff.compareTo(maxBackoff) > 0) {
      throw Parser.invalid(RETRY_BACKOFF, p.optional(RETRY_BACKOFF), "at most " + RETRY_MAX_BACKOFF + " ("
          + maxBackoff.toMillis() + "ms)");
    }
    this.clientConfig =
        client
            .connectTimeout(p.duration(CONNECT_TIMEOUT, "10s"))
            .readTimeout(p.duration(READ_TIMEOUT, "60s"))
            .maxAttempts(p.positiveInt(MAX_ATTEMPTS, 30))
            .retryTimeout(p.duration(RETRY_TIMEOUT, "45s"))
            .backoff(backoff, maxBackoff)
            .build();
    this.maxPartitionBytes = p.positiveBytes(MAX_PARTITION_BYTES, "128m");
    this.openCostInBytes = p.bytes(OPEN_COST_IN_BYTES, "256k");
    this.minPartitions = p.positiveInt(MIN_PARTITIONS, Math.max(1, defaults.defaultParallelism));
    this.parallelReadThreshold = p.positiveBytes(PARALLEL_READ_THRESHOLD, "1g");
    this.parallelReadThreads = p.positiveInt(PARALLEL_READ_THREADS, 4);
    this.parallelReadChunkSize = (int) p.bytesAtMost(PARALLEL_READ_CHUNK_SIZE, "4m", Integer.MAX_VALUE - 8);
    this.getBatchSize = p.positiveInt(GET_BATCH_SIZE, 1);
    this.getBatchMaxObjectSize = p.positiveBytes(GET_BATCH_MAX_OBJECT_SIZE, "1m");
    this.listPageSize = p.nonNegativeInt(LIST_PAGE_SIZE, 0);
    String etlName = p.optional(ETL);
    this.etl = etlName == null ? null : new Etl(etlName, p.optional(ETL_ARGS));
    if (etlName == null && p.has(ETL_ARGS)) {
      throw new IllegalArgumentException("Option '" + ETL_ARGS + "' needs option '" + ETL + "' (the ETL's name)");
    }
    this.ignoreMissingFiles = p.bool(IGNORE_MISSING_FILES, defaults.ignoreMissingFiles);
    p.rejectUnknown();
  }

  /** Each TLS setting from its option, else from AIS's environment variable; the certificate and key as a pair. */
  private static void tls(Parser p, Map<String, String> env, AisClientConfig.Builder client) {
    client.tlsCaCert(p.has(TLS_CA_CERT) ? p.required(TLS_CA_CERT) : env.get(AisClientConfig.ENV_CLIENT_CA));
    client.tlsSkipVerify(p.bool(TLS_SKIP_VERIFY, AisClientConfig.skipVerifyFromEnvironment(env)));
    if (p.has(TLS_CLIENT_CERT) || p.has(TLS_CLIENT_KEY)) {
      client.tlsClientCert(p.optional(TLS_CLIENT_CERT), p.optional(TLS_CLIENT_KEY));
    } else {
      client.tlsClientCert(env.get(AisClientConfig.ENV_CLIENT_CERT), env.get(AisClientConfig.ENV_CLIENT_KEY));
    }
  }

  /** What the session contributes to defaults. */
  public static final class SessionDefaults {
    final int defaultParallelism;
    final boolean ignoreMissingFiles;
    final boolean ignoreCorruptFiles;

    public SessionDefaults(int defaultParallelism, boolean ignoreMissingFiles, boolean ignoreCorruptFiles) {
      this.defaultParallelism = defaultParallelism;
      this.ignoreMissingFiles = ignoreMissingFiles;
      this.ignoreCorruptFiles = ignoreCorruptFiles;
    }
  }

  /** Parses user options (keys in any case) with the process environment for the endpoint, token and TLS. */
  public static AisOptions parse(Map<String, String> options, SessionDefaults defaults) {
    return parse(options, System.getenv(), defaults);
  }

  static AisOptions parse(Map<String, String> options, Map<String, String> env, SessionDefaults defaults) {
    return new AisOptions(options, env, defaults);
  }

  /** Every option, in documentation order. */
  public static List<Spec> specs() {
    return List.copyOf(SPECS.values());
  }

  public List<AisPath> paths() {
    return paths;
  }

  public AisClientConfig clientConfig() {
    return clientConfig;
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

  public int listPageSize() {
    return listPageSize;
  }

  /** The inline ETL, or null. */
  public Etl etl() {
    return etl;
  }

  public boolean ignoreMissingFiles() {
    return ignoreMissingFiles;
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

  public long maxMemberSize() {
    return maxMemberSize;
  }

  /** Shards per source sampled to infer the webdataset schema; 0 means all. */
  public int schemaSampleShards() {
    return schemaSampleShards;
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

  public int maxSamplesPerShard() {
    return maxSamplesPerShard;
  }

  public long maxShardBytes() {
    return maxShardBytes;
  }

  /** Whether written shards are gzip-compressed ({@code .tar.gz}). */
  public boolean gzip() {
    return gzip;
  }

  /** Whether shards are named by partition and published without a copy ({@code shardNames=partition}). */
  public boolean shardNamesByPartition() {
    return shardNamesByPartition;
  }

  public int uploadPartSize() {
    return uploadPartSize;
  }

  public int commitThreads() {
    return commitThreads;
  }

  public Duration commitLockTimeout() {
    return commitLockTimeout;
  }

  /** Reads raw options by their case-insensitive names and remembers which were used. */
  private static final class Parser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> raw = new LinkedHashMap<>();

    Parser(Map<String, String> options) {
      options.forEach((k, v) -> raw.put(k.toLowerCase(Locale.ROOT), v));
    }

    boolean has(String name) {
      return raw.containsKey(key(name));
    }

    String optional(String name) {
      String v = raw.get(key(name));
      return v == null || v.isBlank() ? null : v.strip();
    }

    String required(String name) {
      String v = optional(name);
      if (v == null) {
        throw invalid(name, raw.get(key(name)), "a non-empty value");
      }
      return v;
    }

    List<AisPath> paths() {
      List<String> given = new ArrayList<>();
      String single = optional(PATH);
      if (single != null) {
        given.add(single);
      }
      String many = optional(PATHS);
      if (many != null) {
        try {
          given.addAll(JSON.readValue(many, new TypeReference<List<String>>() {}));
        } catch (IOException e) {
          throw invalid(PATHS, many, "a JSON array of paths, e.g. [\"ais://b/x/\",\"ais://b/y/\"]");
        }
      }
      if (given.isEmpty()) {
        throw new IllegalArgumentException(
            "No AIS path: give one with load(\"ais://bucket/prefix\") or option '" + PATH + "'");
      }
      return Collections.unmodifiableList(given.stream().map(AisPath::parse).distinct().collect(Collectors.toList()));
    }

    String string(String name, String dflt, Set<String> allowed) {
      String v = optional(name);
      String value = v == null ? dflt : v.toLowerCase(Locale.ROOT);
      if (!allowed.contains(value)) {
        throw invalid(name, v, "one of " + new TreeSet<>(allowed));
      }
      return value;
    }

    boolean bool(String name, boolean dflt) {
      String v = optional(name);
      if (v == null) {
        return dflt;
      }
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw invalid(name, v, "true or false");
      };
    }

    int positiveInt(String name, int dflt) {
      return intAtLeast(name, dflt, 1, "a positive integer");
    }

    int nonNegativeInt(String name, int dflt) {
      return intAtLeast(name, dflt, 0, "an integer >= 0");
    }

    private int intAtLeast(String name, int dflt, int min, String allowed) {
      String v = optional(name);
      if (v == null) {
        return dflt;
      }
      try {
        int n = Integer.parseInt(v);
        if (n >= min) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw invalid(name, v, allowed);
    }

    long bytes(String name, String dflt) {
      String v = optional(name);
      try {
        long n = JavaUtils.byteStringAsBytes(v == null ? dflt : v);
        if (n >= 0) {
          return n;
        }
      } catch (RuntimeException e) {
        // reported below
      }
      throw invalid(name, v, "a size in bytes such as 1048576, 512k, 64m or 1g");
    }

    long positiveBytes(String name, String dflt) {
      long n = bytes(name, dflt);
      if (n <= 0) {
        throw invalid(name, optional(name), "a positive size such as 512k, 64m or 1g");
      }
      return n;
    }

    long bytesAtMost(String name, String dflt, long max) {
      long n = positiveBytes(name, dflt);
      if (n > max) {
        throw invalid(name, optional(name), "a positive size of at most " + max + " bytes");
      }
      return n;
    }

    Duration duration(String name, String dflt) {
      String v = optional(name);
      try {
        long ms = JavaUtils.timeStringAsMs(v == null ? dflt : v);
        if (ms > 0) {
          return Duration.ofMillis(ms);
        }
      } catch (RuntimeException e) {
        // reported below
      }
      throw invalid(name, v, "a positive duration such as 500ms, 30s or 2m");
    }

    void rejectUnknown() {
      Set<String> unknown = new TreeSet<>(raw.keySet());
      unknown.removeAll(SPECS.keySet());
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "Unknown option(s) " + unknown + " for format 'ais'; known options: "
                + SPECS.values().stream().map(s -> s.name).collect(Collectors.joining(", ")));
      }
    }

    private static String key(String name) {
      return name.toLowerCase(Locale.ROOT);
    }

    private static IllegalArgumentException invalid(String name, String value, String allowed) {
      return new IllegalArgumentException(
          "Invalid value '" + value + "' for option '" + name + "': expected " + allowed);
    }
  }
}
