package io.sparkaistore.source.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisPath;
import org.junit.jupiter.api.Test;

class WriteTargetTest {
  private static final String QUERY = "3F2a9c1e-77b0-4d7e-9a51-0c4e2f1b8d6a";

  @Test
  void aPathIsWrittenAsADirectory() {
    assertEquals("out/", WriteTarget.directory(AisPath.parse("ais://b/out")));
    assertEquals("out/", WriteTarget.directory(AisPath.parse("ais://b/out/")));
    assertEquals("a/b/", WriteTarget.directory(AisPath.parse("ais://b/a/b")));
    assertEquals("", WriteTarget.directory(AisPath.parse("ais://b")));
  }

  @Test
  void stagedNamesLiveUnderTheJobsOwnStagingPrefix() {
    WriteTarget target = new WriteTarget(AisPath.parse("ais://b/out"), QUERY);
    assertEquals("out/_temporary/" + QUERY + "/", target.stagingPrefix());
    assertEquals("out/_temporary/" + QUERY + "/3-41-2.tar.gz", target.staged(3, 41, 2, ".tar.gz"));
    assertTrue(WriteTarget.isStaging("out/", target.staged(3, 41, 2, ".tar")));
    assertTrue(WriteTarget.isStaging("out/", "out/_temporary/other-job/0-0-0"));
    assertFalse(WriteTarget.isStaging("out/", "out/_temporary.tar"));
    assertFalse(WriteTarget.isStaging("out/", "other/_temporary/q/0-0-0"));
    assertFalse(WriteTarget.isStaging("", "out/_temporary/q/0-0-0"));
  }

  @Test
  void partitionShardsCarryTheJobTagPartitionAndSequence() {
    WriteTarget target = new WriteTarget(AisPath.parse("ais://b/out/"), QUERY);
    assertEquals("out/shard-3f2a9c1e77b0-00007-0000.tar", target.partitionShard(7, 0, ".tar"));
    assertEquals(
        "out/shard-3f2a9c1e77b0-123456-10000.tar.gz",
        target.partitionShard(123456, 10000, ".tar.gz"));
    assertEquals(
        "out/shard-q1-00000-0000.tar",
        new WriteTarget(AisPath.parse("ais://b/out"), "Q-1").partitionShard(0, 0, ".tar"));
  }

  @Test
  void partitionShardNamesSortByPartitionThenSequence() {
    WriteTarget target = new WriteTarget(AisPath.parse("ais://b/out"), QUERY);
    String[] inOrder = {
      target.partitionShard(0, 9, ".tar"),
      target.partitionShard(1, 0, ".tar"),
      target.partitionShard(1, 10, ".tar"),
      target.partitionShard(10, 0, ".tar")
    };
    for (int i = 1; i < inOrder.length; i++) {
      assertTrue(inOrder[i - 1].compareTo(inOrder[i]) < 0, inOrder[i - 1] + " < " + inOrder[i]);
    }
  }

  @Test
  void theManifestSitsInTheDirectory() {
    assertEquals(
        "out/_manifest.json", new WriteTarget(AisPath.parse("ais://b/out"), QUERY).manifest());
    WriteTarget root = new WriteTarget(AisPath.parse("ais://b"), QUERY);
    assertEquals("_manifest.json", root.manifest());
    assertEquals("_temporary/" + QUERY + "/", root.stagingPrefix());
  }

  @Test
  void namesItselfAsBucketAndDirectory() {
    WriteTarget target = new WriteTarget(AisPath.parse("ais://b/out"), QUERY);
    assertEquals("ais://b/out/", target.toString());
  }
}
