package io.sparkaistore.bench;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.MultipartOutputStream;
import io.sparkaistore.wds.TarShardWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Builds the benchmark data in AIS: WebDataset shards, many small objects, one large object. */
final class Datasets {
  private Datasets() {}

  static AisClient client(Map<String, String> a) {
    return AisClient.create(AisClientConfig.builder(a.get("endpoint")).build());
  }

  static AisBucket bucket(AisClient client, Map<String, String> a) throws Exception {
    AisBucket bucket = AisBucket.ais(a.get("bucket"));
    if (!client.bucketExists(bucket)) {
      client.createBucket(bucket);
    }
    return bucket;
  }

  /**
   * {@code shards} shards of {@code samples} samples: a jpg of {@code jpgBytes}, a cls and a json.
   */
  static long[] shards(Map<String, String> a) throws Exception {
    AisClient client = client(a);
    AisBucket bucket = bucket(client, a);
    int shards = Integer.parseInt(a.get("shards"));
    int samples = Integer.parseInt(a.get("samples"));
    int jpgBytes = Integer.parseInt(a.get("jpgBytes"));
    Random random = new Random(7);
    byte[] jpg = new byte[jpgBytes];
    long bytes = 0;
    for (int s = 0; s < shards; s++) {
      String name = String.format("%sshard-%06d.tar", a.get("prefix"), s);
      try (MultipartOutputStream upload = client.openUpload(bucket, name, 16 << 20)) {
        try (TarShardWriter tar = TarShardWriter.tar(upload)) {
          for (int i = 0; i < samples; i++) {
            random.nextBytes(jpg);
            TreeMap<String, byte[]> members = new TreeMap<>();
            members.put("jpg", jpg);
            members.put("cls", String.valueOf(i % 1000).getBytes(StandardCharsets.US_ASCII));
            members.put(
                "json",
                ("{\"shard\":" + s + ",\"i\":" + i + "}").getBytes(StandardCharsets.US_ASCII));
            tar.write(String.format("s%06d_%06d", s, i), members);
          }
        }
        bytes += upload.bytes(); // the tar is closed: its end blocks are counted
      }
    }
    return new long[] {bytes, (long) shards * samples};
  }

  /** {@code count} objects of {@code size} bytes under the prefix (one large object: count=1). */
  static long[] objects(Map<String, String> a) throws Exception {
    AisClient client = client(a);
    AisBucket bucket = bucket(client, a);
    int count = Integer.parseInt(a.get("count"));
    long size = Long.parseLong(a.get("size"));
    Random random = new Random(11);
    byte[] block = new byte[(int) Math.min(size, 8 << 20)];
    for (int i = 0; i < count; i++) {
      String name = count == 1 ? a.get("prefix") : String.format("%sobj-%07d", a.get("prefix"), i);
      try (MultipartOutputStream upload = client.openUpload(bucket, name, 16 << 20)) {
        for (long left = size; left > 0; left -= block.length) {
          random.nextBytes(block);
          upload.write(block, 0, (int) Math.min(left, block.length));
        }
      }
    }
    return new long[] {count * size, count};
  }
}
