package io.sparkaistore.source.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisPath;
import io.sparkaistore.source.options.AisOptions.Compression;
import io.sparkaistore.source.options.AisOptions.ShardNaming;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteConfigTest {
  private static WriteConfig parse(String... keyValues) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      options.put(keyValues[i], keyValues[i + 1]);
    }
    return WriteConfig.parse(OptionValues.of(Map.of(), options), Map.of());
  }

  private static String error(String... keyValues) {
    return assertThrows(IllegalArgumentException.class, () -> parse(keyValues)).getMessage();
  }

  @Test
  void writeOptionsReachTheJobAndTheTasks() {
    WriteConfig o =
        parse(
            "path",
            "ais://b/out",
            "layout",
            "webdataset",
            "compression",
            "gzip",
            "shardNames",
            "partition",
            "maxSamplesPerShard",
            "5",
            "maxShardBytes",
            "2m",
            "uploadPartSize",
            "8m",
            "commitThreads",
            "2",
            "commitLockTimeout",
            "30s");
    assertEquals(AisPath.parse("ais://b/out"), o.path());
    assertEquals(Compression.GZIP, o.tasks().compression());
    assertEquals(ShardNaming.PARTITION, o.tasks().shardNaming());
    assertEquals(5, o.tasks().maxSamplesPerShard());
    assertEquals(2L << 20, o.tasks().maxShardBytes());
    assertEquals(8 << 20, o.tasks().uploadPartSize());
    assertEquals(2, o.commitThreads());
    assertEquals(Duration.ofSeconds(30), o.commitLockTimeout());
  }

  @Test
  void plainTarShardsAreIndexedUnlessTurnedOff() {
    assertTrue(parse("path", "ais://b/out", "layout", "webdataset").tasks().shardIndex());
    assertFalse(
        parse("path", "ais://b/out", "layout", "webdataset", "shardIndex", "false")
            .tasks()
            .shardIndex());
    assertFalse(
        parse("path", "ais://b/out", "layout", "webdataset", "compression", "gzip")
            .tasks()
            .shardIndex(),
        "gzip shards get no index by default");
  }

  @Test
  void anIndexAskedForWithCompressionIsRefused() {
    String message = error("path", "ais://b/out", "compression", "gzip", "shardIndex", "true");
    assertTrue(
        message.contains("Option 'shardIndex' is true, but option 'compression' makes .tar.gz")
            && message.contains("Set compression none, or shardIndex false"),
        message);
  }

  @Test
  void aWriteGoesToOneAisPathInAWritableLayout() {
    assertEquals(
        "Layout members can be read but not written; write with layout webdataset or objects",
        error("path", "ais://b/x", "layout", "members"));
    assertEquals(
        "A write goes to one path; got [ais://b/x, ais://b/y]",
        error("path", "ais://b/x", "paths", "[\"ais://b/y\"]"));
    assertEquals(
        "Cannot write to s3://b/x: writes need an ais:// bucket (the commit renames objects into place, "
            + "which AIS does within its own buckets only)",
        error("path", "s3://b/x"));
  }

  @Test
  void partSizesBeyondAnArrayAreRefused() {
    assertEquals(
        "Invalid value '4g' for option 'uploadPartSize': expected a positive size of at most "
            + (Integer.MAX_VALUE - 8)
            + " bytes",
        error("path", "ais://b/x", "uploadPartSize", "4g"));
  }

  @Test
  void aPatternPathIsRefusedNamingPathAndOption() {
    String message = error("path", "ais://b/out/shard-{0..9}.tar");
    assertTrue(
        message.startsWith(
            "Cannot write to ais://b/out/shard-{0..9}.tar: option 'path' holds a brace"),
        message);
    assertTrue(message.contains("Write to one literal prefix"), message);
    assertEquals("out/a*b/", parse("path", "ais://b/out/a\\*b/").path().prefix());
  }
}
