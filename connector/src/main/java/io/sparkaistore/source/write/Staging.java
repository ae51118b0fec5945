package io.sparkaistore.source.write;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deleting what a write staged or placed. */
final class Staging {
  private static final Logger LOG = LoggerFactory.getLogger(Staging.class);

  private Staging() {}

  /**
   * Deletes what an aborted attempt staged. Failures are logged, not thrown: the job commit or abort
   * sweeps the whole staging area of the job anyway.
   */
  static void deleteQuietly(AisClient client, WriteTarget target, List<StagedObject> staged) {
    for (StagedObject o : staged) {
      try {
        deleteIfPresent(client, target, o.stagingName);
      } catch (AisException e) {
        LOG.warn("Could not delete staged {}/{}: {}", target.bucket, o.stagingName, e.getMessage());
      }
    }
  }

  /** Deletes an object; one that is already gone is fine. */
  static void deleteIfPresent(AisClient client, WriteTarget target, String name) throws AisException {
    try {
      client.delete(target.bucket, name);
    } catch (AisException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }
}
