package io.sparkaistore.it;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.client.AisException;
import java.util.Locale;
import java.util.UUID;

/** Clients for the test cluster and throw-away buckets with unique names. */
public final class AisTestBuckets {
  private AisTestBuckets() {}

  public static AisClient client() {
    return AisClient.create(AisClientConfig.builder(AisTestCluster.endpoint().toString()).build());
  }

  /** A new, empty ais:// bucket named after the test; destroy it with {@link #destroy}. */
  public static AisBucket create(AisClient client, String purpose) throws AisException {
    String name = purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    AisBucket bucket = AisBucket.ais(name);
    client.createBucket(bucket);
    return bucket;
  }

  public static void destroy(AisClient client, AisBucket bucket) throws AisException {
    if (client.bucketExists(bucket)) {
      client.destroyBucket(bucket);
    }
  }
}
