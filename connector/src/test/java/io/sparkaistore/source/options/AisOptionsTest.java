package io.sparkaistore.source.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.source.options.AisOption.Scope;
import io.sparkaistore.source.options.AisOptions.Compression;
import io.sparkaistore.source.options.AisOptions.Layout;
import io.sparkaistore.source.options.AisOptions.Mode;
import io.sparkaistore.source.options.AisOptions.ShardNaming;
import io.sparkaistore.source.options.AisOptions.ZipMismatch;
import io.sparkaistore.wds.KeyRule;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

class AisOptionsTest {
  private static final Map<String, String> PATH = Map.of("path", "ais://b/p/");

  /** Every option's typed default; null where it comes from the environment or the session. */
  private static Map<AisOption<?>, Object> expectedDefaults() {
    Map<AisOption<?>, Object> d = new LinkedHashMap<>();
    d.put(AisOptions.ENDPOINT, null);
    d.put(AisOptions.AUTHN_TOKEN, null);
    d.put(AisOptions.TLS_CA_CERT, null);
    d.put(AisOptions.TLS_SKIP_VERIFY, null);
    d.put(AisOptions.TLS_CLIENT_CERT, null);
    d.put(AisOptions.TLS_CLIENT_KEY, null);
    d.put(AisOptions.PATH, null);
    d.put(AisOptions.PATHS, null);
    d.put(AisOptions.LAYOUT, Layout.OBJECTS);
    d.put(AisOptions.KEY_RULE, KeyRule.WEBDATASET);
    d.put(AisOptions.LOWERCASE_EXTENSIONS, true);
    d.put(AisOptions.USE_INDEX, true);
    d.put(AisOptions.MAX_MEMBER_SIZE, 256L << 20);
    d.put(AisOptions.SCHEMA_SAMPLE_SHARDS, 32);
    d.put(AisOptions.BASE_PATH, null);
    d.put(AisOptions.MODE, Mode.FAILFAST);
    d.put(AisOptions.IGNORE_CORRUPT_FILES, null);
    d.put(AisOptions.ZIP_MISMATCH, ZipMismatch.SHORTEST);
    d.put(AisOptions.MAX_PARTITION_BYTES, 128L << 20);
    d.put(AisOptions.OPEN_COST_IN_BYTES, 256L << 10);
    d.put(AisOptions.MIN_PARTITIONS, null);
    d.put(AisOptions.PARALLEL_READ_THRESHOLD, 1L << 30);
    d.put(AisOptions.PARALLEL_READ_THREADS, 4);
    d.put(AisOptions.PARALLEL_READ_CHUNK_SIZE, 4L << 20);
    d.put(AisOptions.GET_BATCH_SIZE, 1);
    d.put(AisOptions.GET_BATCH_MAX_OBJECT_SIZE, 1L << 20);
    d.put(AisOptions.LIST_PAGE_SIZE, 0);
    d.put(AisOptions.ETL, null);
    d.put(AisOptions.ETL_ARGS, null);
    d.put(AisOptions.CONNECT_TIMEOUT, Duration.ofSeconds(10));
    d.put(AisOptions.READ_TIMEOUT, Duration.ofSeconds(60));
    d.put(AisOptions.MAX_ATTEMPTS, 30);
    d.put(AisOptions.RETRY_TIMEOUT, Duration.ofSeconds(45));
    d.put(AisOptions.RETRY_BACKOFF, Duration.ofMillis(200));
    d.put(AisOptions.RETRY_MAX_BACKOFF, Duration.ofSeconds(5));
    d.put(AisOptions.MAX_SAMPLES_PER_SHARD, 10000);
    d.put(AisOptions.MAX_SHARD_BYTES, 1L << 30);
    d.put(AisOptions.COMPRESSION, Compression.NONE);
    d.put(AisOptions.SHARD_NAMES, ShardNaming.SEQUENTIAL);
    d.put(AisOptions.SHARD_INDEX, true);
    d.put(AisOptions.UPLOAD_PART_SIZE, 16L << 20);
    d.put(AisOptions.COMMIT_THREADS, 8);
    d.put(AisOptions.COMMIT_LOCK_TIMEOUT, Duration.ofMinutes(2));
    d.put(AisOptions.IGNORE_MISSING_FILES, null);
    return d;
  }

  @Test
  void everyOptionHasItsDocumentedDefault() {
    Map<AisOption<?>, Object> expected = expectedDefaults();
    assertEquals(
        List.copyOf(expected.keySet()), AisOptions.all(), "every option, in documentation order");
    OptionValues none = OptionValues.of(Map.of(), Map.of());
    for (AisOption<?> option : AisOptions.all()) {
      assertEquals(expected.get(option), option.defaultValue(), option.name());
      assertEquals(expected.get(option), none.get(option), option.name());
      assertTrue(!option.doc().isBlank(), option.name());
    }
  }

  @Test
  void parsedConfigurationsCarryTheDefaults() {
    ReadConfig read =
        ReadConfig.parse(
            OptionValues.of(Map.of(), PATH),
            Map.of(),
            new ReadConfig.SessionDefaults(3, true, false));
    assertEquals(128L << 20, read.maxPartitionBytes());
    assertEquals(256L << 10, read.openCostInBytes());
    assertEquals(3, read.minPartitions());
    assertEquals(32, read.schemaSampleShards());
    assertEquals(0, read.listPageSize());
    assertEquals(Layout.OBJECTS, read.layout());
    ReadTaskConfig tasks = read.tasks();
    assertEquals(KeyRule.WEBDATASET, tasks.keyRule());
    assertTrue(tasks.lowercaseExtensions());
    assertEquals(256L << 20, tasks.maxMemberSize());
    assertEquals(false, tasks.dropMalformed());
    assertEquals(false, tasks.skipCorruptShards());
    assertEquals(false, tasks.zipMismatchFails());
    assertEquals(1L << 30, tasks.parallelReadThreshold());
    assertEquals(4, tasks.parallelReadThreads());
    assertEquals(4 << 20, tasks.parallelReadChunkSize());
    assertEquals(1, tasks.getBatchSize());
    assertEquals(1L << 20, tasks.getBatchMaxObjectSize());
    assertNull(tasks.etl());
    assertEquals(
        true, tasks.ignoreMissingFiles(), "the session's spark.sql.files.ignoreMissingFiles");

    WriteConfig write = WriteConfig.parse(OptionValues.of(Map.of(), PATH), Map.of());
    assertEquals(Compression.NONE, write.compression());
    assertEquals(ShardNaming.SEQUENTIAL, write.shardNaming());
    assertEquals(8, write.commitThreads());
    assertEquals(Duration.ofMinutes(2), write.commitLockTimeout());
    assertEquals(10000, write.tasks().maxSamplesPerShard());
    assertEquals(1L << 30, write.tasks().maxShardBytes());
    assertEquals(16 << 20, write.tasks().uploadPartSize());

    AisClientConfig client = write.clientConfig();
    assertEquals(AisClientConfig.DEFAULT_ENDPOINT, client.endpoint().toString());
    assertEquals(Duration.ofSeconds(10), client.connectTimeout());
    assertEquals(Duration.ofSeconds(60), client.readTimeout());
    assertEquals(30, client.maxAttempts());
    assertEquals(Duration.ofSeconds(45), client.retryTimeout());
  }

  @Test
  void theClientBuilderTakesTheConnectionDefaults() {
    AisClientConfig built = AisClientConfig.builder("http://h:1").build();
    AisClientConfig parsed =
        ConnectionConfig.parse(
            OptionValues.of(Map.of(), Map.of("endpoint", "http://h:1")), Map.of());
    assertEquals(parsed.toString(), built.toString());
  }

  @Test
  void enumOptionsTakeTheirValuesInAnyCase() {
    OptionValues o =
        OptionValues.of(
            Map.of(),
            Map.of(
                "keyRule",
                "AISPYTHON",
                "compression",
                "Gzip",
                "shardNames",
                "partition",
                "mode",
                "dropMalformed",
                "zipMismatch",
                "FAIL"));
    assertEquals(KeyRule.AIS_PYTHON, o.get(AisOptions.KEY_RULE));
    assertEquals(Compression.GZIP, o.get(AisOptions.COMPRESSION));
    assertEquals(".tar.gz", o.get(AisOptions.COMPRESSION).shardSuffix());
    assertEquals(ShardNaming.PARTITION, o.get(AisOptions.SHARD_NAMES));
    assertEquals(Mode.DROPMALFORMED, o.get(AisOptions.MODE));
    assertEquals(ZipMismatch.FAIL, o.get(AisOptions.ZIP_MISMATCH));
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    OptionValues.of(Map.of(), Map.of("compression", "zstd"))
                        .get(AisOptions.COMPRESSION))
            .getMessage();
    assertEquals(
        "Invalid value 'zstd' for option 'compression': expected one of [gzip, none]", message);
  }

  @Test
  void givenOptionsWinOverTheSessionsInAnyCase() {
    OptionValues o =
        OptionValues.of(
            Map.of("maxpartitionbytes", "1m", "readTimeout", "5s"),
            Map.of("MaxPartitionBytes", "2m"));
    assertEquals(2L << 20, o.get(AisOptions.MAX_PARTITION_BYTES));
    assertEquals(Duration.ofSeconds(5), o.get(AisOptions.READ_TIMEOUT));
  }

  @Test
  void aReadRefusesWriteOptionsAndAWriteReadOptions() {
    Map<String, String> write = new HashMap<>(PATH);
    write.put("maxShardBytes", "1m");
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    ReadConfig.parse(
                        OptionValues.of(Map.of(), write),
                        Map.of(),
                        new ReadConfig.SessionDefaults(1, false, false)))
            .getMessage();
    assertEquals(
        "Option 'maxShardBytes' applies only to writes; a read does not take it. Remove it from the read's "
            + "options.",
        message);
    Map<String, String> read = new HashMap<>(PATH);
    read.put("MAXPARTITIONBYTES", "1m");
    message =
        assertThrows(
                IllegalArgumentException.class,
                () -> WriteConfig.parse(OptionValues.of(Map.of(), read), Map.of()))
            .getMessage();
    assertEquals(
        "Option 'maxPartitionBytes' applies only to reads; a write does not take it. Remove it from the "
            + "write's options.",
        message);
  }

  @Test
  void sessionSettingsOfTheOtherSideAreSpared() {
    Map<String, String> session = Map.of("maxShardBytes", "1m", "maxPartitionBytes", "2m");
    Map<String, String> given = new HashMap<>(PATH);
    // Spark copies session settings into a DataFrame read's options.
    given.put("maxPartitionBytes", "2m");
    ReadConfig read =
        ReadConfig.parse(
            OptionValues.of(session, given),
            Map.of(),
            new ReadConfig.SessionDefaults(1, false, false));
    assertEquals(2L << 20, read.maxPartitionBytes());
    WriteConfig write = WriteConfig.parse(OptionValues.of(session, PATH), Map.of());
    assertEquals(1L << 20, write.tasks().maxShardBytes());
  }

  @Test
  void sharedAndConnectionOptionsApplyToBothSides() {
    List<String> shared =
        AisOptions.all().stream()
            .filter(o -> o.scope() == Scope.SHARED || o.scope() == Scope.CONNECTION)
            .map(AisOption::name)
            .collect(Collectors.toList());
    assertEquals(
        List.of(
            "endpoint",
            "authnToken",
            "tlsCaCert",
            "tlsSkipVerify",
            "tlsClientCert",
            "tlsClientKey",
            "path",
            "paths",
            "layout",
            "connectTimeout",
            "readTimeout",
            "maxAttempts",
            "retryTimeout",
            "retryBackoff",
            "retryMaxBackoff"),
        shared);
    Map<String, String> given =
        Map.of(
            "path",
            "ais://b/p/",
            "layout",
            "webdataset",
            "endpoint",
            "http://h:2",
            "maxAttempts",
            "3");
    ReadConfig read =
        ReadConfig.parse(
            OptionValues.of(Map.of(), given),
            Map.of(),
            new ReadConfig.SessionDefaults(1, false, false));
    WriteConfig write = WriteConfig.parse(OptionValues.of(Map.of(), given), Map.of());
    assertEquals(Layout.WEBDATASET, read.layout());
    assertEquals(Layout.WEBDATASET, write.layout());
    assertEquals(3, read.clientConfig().maxAttempts());
    assertEquals(3, write.clientConfig().maxAttempts());
  }

  @Test
  void aTablesOptionsDropTheOtherSidesScope() {
    Map<String, String> table =
        Map.of(
            "path", "ais://b/p/",
            "endpoint", "http://h:1",
            "maxPartitionBytes", "10",
            "compression", "gzip",
            "notAnOption", "x");
    assertEquals(
        Map.of(
            "path",
            "ais://b/p/",
            "endpoint",
            "http://h:1",
            "compression",
            "gzip",
            "notAnOption",
            "x"),
        AisOptions.withoutScope(table, Scope.READ));
    assertEquals(
        Map.of(
            "path",
            "ais://b/p/",
            "endpoint",
            "http://h:1",
            "maxPartitionBytes",
            "10",
            "notAnOption",
            "x"),
        AisOptions.withoutScope(table, Scope.WRITE));
  }

  /** Spark's Scala option maps (a DataFrame save's, the session's settings) read as Java maps. */
  @Test
  void scalaMapsReadAsJavaMaps() {
    Map<String, String> options = Map.of("path", "ais://b/p/", "Layout", "webdataset");
    assertEquals(options, OptionValues.fromScala(CollectionConverters.asScala(options)));
    assertEquals(
        Map.of(),
        OptionValues.fromScala(CollectionConverters.asScala(new HashMap<String, String>())));
  }
}
