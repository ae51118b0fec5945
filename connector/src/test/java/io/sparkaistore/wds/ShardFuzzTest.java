package io.sparkaistore.wds;

import static io.sparkaistore.wds.TestShards.shard;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Arbitrary bytes into the shard and sample readers: the only failure they may show is a {@link
 * WdsFormatException} that names the shard. Any other exception, an input that makes them allocate
 * more than {@link #MAX_ALLOCATION} (or run out of memory), or a read that does not end within the
 * timeout, is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} these run as ordinary tests over the seeds below and the inputs
 * kept in {@code src/test/resources/io/sparkaistore/wds/ShardFuzzTestInputs/<method>/}; with it,
 * Jazzer fuzzes one of them (docs/testing.md says how).
 */
class ShardFuzzTest {
  private static final String SHARD = "ais://fuzz/shard";

  /** Small, so that the limit is met as well as the sizes below it. */
  private static final long LIMIT = 64 * 1024;

  /**
   * What reading one input may allocate in all. Jazzer needs a larger heap than the unit tests' 64
   * MiB, so the bound is checked here: inputs are a few KiB, members at most {@link #LIMIT}.
   */
  private static final long MAX_ALLOCATION = 64L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

  /**
   * Valid shards of every format to start from, kept small: the fuzzer works on them byte by byte.
   */
  static Stream<byte[]> seeds() throws IOException {
    TestShards samples =
        shard()
            .add("a/k1.txt", "one")
            .add("a/k1.cls", "1")
            .add("a/k1.bin", new byte[600])
            .add("δείγμα/k2.txt", "δύο")
            .add("a/" + "long-name-".repeat(11) + ".txt", "pax")
            .add("k3.json", "{}");
    byte[] tar = trimRecordPadding(samples.tar());
    return Stream.of(
        tar, compress(tar, false), compress(tar, true), samples.zip(), samples.zipStored(false));
  }

  // The timeout bounds each input: Jazzer hands it to libFuzzer when fuzzing (the pom stops JUnit
  // from applying it to the whole run); in a regression run the first input also waits for Jazzer's
  // agent.
  @MethodSource("seeds")
  @FuzzTest(maxDuration = "30s")
  @Timeout(120)
  void shardReader(byte[] data) throws IOException {
    long[] before = allocationState();
    readMembers(data, true);
    readMembers(data, false);
    expectAllocationWithinBound(before);
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "30s")
  @Timeout(120)
  void sampleReader(byte[] data) throws IOException {
    long[] before = allocationState();
    // Both key rules and a selection that passes some members over, chosen by the input itself.
    KeyRule rule = data.length % 2 == 0 ? KeyRule.WEBDATASET : KeyRule.AIS_PYTHON;
    Predicate<String> selected = data.length % 3 == 0 ? e -> true : e -> !e.equals("bin");
    readSamples(data, rule, selected);
    expectAllocationWithinBound(before);
  }

  private static long[] allocationState() {
    return new long[] {
      THREADS.getCurrentThreadAllocatedBytes(), CLASSES.getTotalLoadedClassCount()
    };
  }

  private static void expectAllocationWithinBound(long[] before) {
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before[0];
    // Loading (and Jazzer instrumenting) a class allocates much in this thread: such runs do not
    // count.
    if (allocated > MAX_ALLOCATION && CLASSES.getTotalLoadedClassCount() == before[1]) {
      throw new AssertionError("reading the input allocated " + allocated + " bytes");
    }
  }

  private static void readMembers(byte[] data, boolean sizeKnown) throws IOException {
    InputStream in = new ByteArrayInputStream(data);
    try (ShardReader reader =
        sizeKnown ? ShardReader.open(in, SHARD, data.length) : ShardReader.open(in, SHARD)) {
      int n = 0;
      for (ShardMember m; (m = reader.next()) != null; n++) {
        if (n % 2 == 0) {
          byte[] content = m.readContent(LIMIT, SHARD);
          if (m.size() >= 0 && content.length != m.size()) {
            throw new AssertionError(
                "member " + m.name() + " of " + m.size() + " bytes read as " + content.length);
          }
        } // every other member is left unread: the reader skips it
      }
    } catch (WdsFormatException e) {
      expectShardNamed(e);
    }
  }

  private static void readSamples(byte[] data, KeyRule rule, Predicate<String> selected)
      throws IOException {
    ShardReader reader;
    try {
      reader = ShardReader.open(new ByteArrayInputStream(data), SHARD);
    } catch (WdsFormatException e) {
      expectShardNamed(e);
      return;
    }
    try (SampleReader samples = new SampleReader(reader, rule, true, selected, LIMIT)) {
      while (true) {
        try {
          Sample s = samples.next();
          if (s == null) {
            return;
          }
          for (byte[] content : s.members().values()) {
            if (content.length > LIMIT) {
              throw new AssertionError("a member of " + content.length + " bytes, over the limit");
            }
          }
        } catch (WdsFormatException e) {
          expectShardNamed(e);
          if (e.isCorruptShard()) {
            return;
          }
          // a malformed sample: reading goes on
        }
      }
    }
  }

  private static void expectShardNamed(WdsFormatException e) {
    if (!SHARD.equals(e.shard()) || !e.getMessage().contains(SHARD)) {
      throw new AssertionError("a failure that does not name the shard: " + e.getMessage(), e);
    }
  }

  /**
   * The tar without the zeros after its two end-of-archive blocks, which make a seed 10 KiB long.
   */
  private static byte[] trimRecordPadding(byte[] tar) {
    int end = tar.length;
    while (end > 0 && tar[end - 1] == 0) {
      end--;
    }
    return Arrays.copyOf(tar, (end + 511) / 512 * 512 + 1024);
  }

  private static byte[] compress(byte[] data, boolean lz4) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c =
        lz4 ? new FramedLZ4CompressorOutputStream(out) : new GzipCompressorOutputStream(out)) {
      c.write(data);
    }
    return out.toByteArray();
  }
}
