package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AisPathTest {
  @Test
  void parsesBucketAndPrefix() {
    AisPath p = AisPath.parse("ais://images/train/shard-");
    assertEquals(AisBucket.ais("images"), p.bucket());
    assertEquals("train/shard-", p.prefix());
    assertEquals("ais://images/train/shard-", p.toString());
  }

  @Test
  void bucketAloneSelectsEverything() {
    assertEquals("", AisPath.parse("ais://images").prefix());
    assertEquals("", AisPath.parse("ais://images/").prefix());
  }

  @Test
  void acceptsCliSchemesAndProviderNames() {
    assertEquals(Provider.AWS, AisPath.parse("s3://b/x").bucket().provider());
    assertEquals(Provider.AWS, AisPath.parse("aws://b/x").bucket().provider());
    assertEquals(Provider.GCP, AisPath.parse("gs://b").bucket().provider());
    assertEquals(Provider.AZURE, AisPath.parse("az://b").bucket().provider());
    assertEquals(Provider.OCI, AisPath.parse("oc://b").bucket().provider());
    assertEquals(Provider.HTTP, AisPath.parse("ht://b").bucket().provider());
    assertEquals("gs://b", AisPath.parse("gcp://b").bucket().toString());
  }

  @Test
  void keepsPrefixVerbatim() {
    assertEquals("a b/%41+#é", AisPath.parse("ais://b/a b/%41+#é").prefix());
    assertEquals("a?b", AisPath.parse("ais://b/a\\?b").prefix());
  }

  @Test
  void rejectsPathsWithoutScheme() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AisPath.parse("bucket/x"));
    assertTrue(e.getMessage().contains("expected provider://bucket[/prefix]"), e.getMessage());
  }

  @Test
  void rejectsUnknownScheme() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AisPath.parse("hdfs://b/x"));
    assertTrue(
        e.getMessage().contains("hdfs") && e.getMessage().contains("ais://"), e.getMessage());
  }

  @Test
  void rejectsNamespacesWithAnExplanation() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AisPath.parse("ais://@uuid#ns/bucket/x"));
    assertTrue(e.getMessage().contains("namespaces are not supported"), e.getMessage());
  }

  @Test
  void rejectsInvalidAisBucketNames() {
    assertThrows(IllegalArgumentException.class, () -> AisPath.parse("ais://.hidden/x"));
    assertThrows(IllegalArgumentException.class, () -> AisPath.parse("ais://a b/x"));
    assertThrows(IllegalArgumentException.class, () -> AisPath.parse("ais:///x"));
  }
}
