package io.sparkaistore.source.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardManifestTest {
  private static StagedObject shard(long samples, long bytes, long crc) {
    return StagedObject.staged("p/_temporary/q/0-1-0.tar", null, 0, 0, samples, bytes, crc);
  }

  private static String json(byte[] manifest) {
    return new String(manifest, StandardCharsets.UTF_8).replaceAll("\\s+", "");
  }

  @Test
  void listsEachShardWithItsSamplesBytesAndChecksumAndTheTotals() throws Exception {
    byte[] manifest =
        ShardManifest.build(
            null,
            List.of(shard(3, 3072, 0xabcL), shard(1, 1024, 0xffffffffL)),
            List.of("p/shard-000000.tar", "p/shard-000001.tar"));
    assertEquals(
        "{\"format\":\"webdataset\",\"writer\":\"spark-aistore\",\"shards\":["
            + "{\"name\":\"p/shard-000000.tar\",\"samples\":3,\"bytes\":3072,\"crc32c\":\"00000abc\"},"
            + "{\"name\":\"p/shard-000001.tar\",\"samples\":1,\"bytes\":1024,\"crc32c\":\"ffffffff\"}],"
            + "\"samples\":4,\"bytes\":4096}",
        json(manifest));
  }

  @Test
  void aPartitionedShardCarriesItsValuesNullForTheDefault() throws Exception {
    StagedObject partitioned =
        shard(1, 1024, 1).inDirectory("year=2024/tag=a%2Fb/split=__HIVE_DEFAULT_PARTITION__/");
    assertEquals(
        "{\"format\":\"webdataset\",\"writer\":\"spark-aistore\",\"shards\":["
            + "{\"name\":\"p/x.tar\",\"samples\":1,\"bytes\":1024,\"crc32c\":\"00000001\","
            + "\"partition\":{\"year\":\"2024\",\"tag\":\"a/b\",\"split\":null}}],"
            + "\"samples\":1,\"bytes\":1024}",
        json(ShardManifest.build(null, List.of(partitioned), List.of("p/x.tar"))));
  }

  @Test
  void aShardWithAnIndexNamesIt() throws Exception {
    StagedObject indexed =
        shard(3, 3072, 0xabcL)
            .withIndex(StagedObject.staged("p/_temporary/q/0-1-0.tar.idx", null, 0, 0, 3, 90, 7));
    byte[] manifest =
        ShardManifest.build(
            null, List.of(indexed, shard(1, 1024, 1)), List.of("p/shard-000000.tar", "p/x.tar"));
    assertEquals(
        "{\"format\":\"webdataset\",\"writer\":\"spark-aistore\",\"shards\":["
            + "{\"name\":\"p/shard-000000.tar\",\"samples\":3,\"bytes\":3072,\"crc32c\":\"00000abc\","
            + "\"index\":\"p/shard-000000.tar.idx\"},"
            + "{\"name\":\"p/x.tar\",\"samples\":1,\"bytes\":1024,\"crc32c\":\"00000001\"}],"
            + "\"samples\":4,\"bytes\":4096}",
        json(manifest));
  }

  @Test
  void anAppendListsThePreviousShardsFirstAndCountsThemInTheTotals() throws Exception {
    byte[] previous =
        ShardManifest.build(null, List.of(shard(2, 100, 1)), List.of("p/shard-000000.tar"));
    byte[] manifest =
        ShardManifest.build(previous, List.of(shard(5, 50, 2)), List.of("p/shard-000001.tar"));
    assertEquals(
        "{\"format\":\"webdataset\",\"writer\":\"spark-aistore\",\"shards\":["
            + "{\"name\":\"p/shard-000000.tar\",\"samples\":2,\"bytes\":100,\"crc32c\":\"00000001\"},"
            + "{\"name\":\"p/shard-000001.tar\",\"samples\":5,\"bytes\":50,\"crc32c\":\"00000002\"}],"
            + "\"samples\":7,\"bytes\":150}",
        json(manifest));
  }

  @Test
  void anEmptyWriteHasAnEmptyManifest() throws Exception {
    assertEquals(
        "{\"format\":\"webdataset\",\"writer\":\"spark-aistore\",\"shards\":[],\"samples\":0,\"bytes\":0}",
        json(ShardManifest.build(null, List.of(), List.of())));
  }
}
