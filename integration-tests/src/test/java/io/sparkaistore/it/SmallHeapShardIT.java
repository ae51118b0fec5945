package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.RequestBody;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards several times larger than the heap of the JVM that reads or writes them: both must stream.
 */
class SmallHeapShardIT {
  private static final int HEAP_MB = 192;
  private static final int SAMPLES = 320;
  private static final int MEMBER_BYTES = 2 << 20; // 640 MiB of members in all, over 3x the heap

  @Test
  void shardLargerThanTheHeapIsStreamed(@TempDir Path dir) throws Exception {
    AisClient client = AisTestBuckets.client();
    AisBucket bucket = AisTestBuckets.create(client, "small-heap");
    try {
      Path shard = writeShard(dir.resolve("big.tar"));
      client.put(bucket, "big/shard-000000.tar", RequestBody.ofFile(shard));
      Files.delete(shard);

      String output =
          runChild(
              "read", AisTestCluster.endpoint().toString(), "ais://" + bucket.name() + "/big/");
      assertTrue(
          output.contains("samples=" + SAMPLES + " bytes=" + (long) SAMPLES * MEMBER_BYTES),
          output);
    } finally {
      AisTestBuckets.destroy(client, bucket);
    }
  }

  @Test
  void shardLargerThanTheHeapIsWrittenInParts() throws Exception {
    AisClient client = AisTestBuckets.client();
    AisBucket bucket = AisTestBuckets.create(client, "small-heap-write");
    try {
      String output =
          runChild(
              "write",
              AisTestCluster.endpoint().toString(),
              "ais://" + bucket.name() + "/out/",
              String.valueOf(SAMPLES),
              String.valueOf(MEMBER_BYTES));
      assertTrue(output.contains("written"), output);
      // One shard: a 512-byte header and the member per sample, and the end-of-archive records.
      assertEquals(
          (long) SAMPLES * (512 + MEMBER_BYTES) + 1024,
          client.headObject(bucket, "out/shard-000000.tar").size());
    } finally {
      AisTestBuckets.destroy(client, bucket);
    }
  }

  private static String runChild(String... args) throws Exception {
    Process child = new ProcessBuilder(childCommand(args)).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the child JVM did not finish");
    assertEquals(0, child.exitValue(), output);
    return output;
  }

  private static Path writeShard(Path file) throws Exception {
    byte[] member = AisClientIT.randomBytes(MEMBER_BYTES, 11);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (int i = 0; i < SAMPLES; i++) {
        add(tar, String.format("s%05d.bin", i), member);
        add(
            tar,
            String.format("s%05d.cls", i),
            String.valueOf(i % 10).getBytes(StandardCharsets.UTF_8));
      }
    }
    return file;
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] content)
      throws Exception {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static List<String> childCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + HEAP_MB + "m");
    command.add(SparkJvmFlags.argument());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SmallHeapJob.class.getName());
    command.addAll(List.of(args));
    return command;
  }
}
