package io.sparkaistore.source.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkaistore.source.partition.HivePaths;
import io.sparkaistore.wds.DaliIndex;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code _manifest.json}: the shards of the path with their samples, bytes and CRC-32C (and the
 * name of a shard's DALI index, and the values of a partitioned write's shard, by column, null for
 * the default partition), and the totals. An append lists the shards of the manifest it finds
 * first, then its own.
 */
final class ShardManifest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ShardManifest() {}

  /**
   * The manifest of {@code staged} under {@code finals}, after the shards of {@code previous}
   * (null: none).
   */
  static byte[] build(byte[] previous, List<StagedObject> staged, List<String> finals)
      throws IOException {
    ObjectNode manifest =
        JSON.createObjectNode().put("format", "webdataset").put("writer", "spark-aistore");
    ArrayNode list = manifest.putArray("shards");
    if (previous != null) {
      JSON.readTree(previous).path("shards").forEach(list::add);
    }
    for (int i = 0; i < staged.size(); i++) {
      StagedObject o = staged.get(i);
      ObjectNode shard =
          list.addObject()
              .put("name", finals.get(i))
              .put("samples", o.samples)
              .put("bytes", o.bytes)
              .put("crc32c", String.format(Locale.ROOT, "%08x", o.crc32c));
      if (o.index != null) {
        shard.put("index", DaliIndex.nameOf(finals.get(i)));
      }
      if (!o.directory.isEmpty()) {
        ObjectNode partition = shard.putObject("partition");
        HivePaths.parse(o.directory).forEach((c, v) -> partition.put(c, HivePaths.value(v)));
      }
    }
    long samples = 0;
    long bytes = 0;
    for (JsonNode s : list) {
      samples += s.path("samples").asLong();
      bytes += s.path("bytes").asLong();
    }
    manifest.put("samples", samples).put("bytes", bytes);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
  }
}
