package io.sparkaistore.source.write;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removing what a task attempt staged: staged objects and pending uploads. */
final class Staging {
  private static final Logger LOG = LoggerFactory.getLogger(Staging.class);

  private Staging() {}

  /**
   * Removes what an aborted attempt staged: deletes staged objects, abandons pending uploads.
   * Failures are logged, not thrown: the job commit or abort sweeps the job's staging area and
   * abandons the committed attempts' uploads anyway.
   */
  static void discardQuietly(AisClient client, WriteTarget target, List<StagedObject> staged) {
    for (StagedObject o : staged) {
      try {
        discard(client, target, o);
      } catch (AisException e) {
        LOG.warn(
            "Could not remove what was staged for {}/{}: {}",
            target.bucket,
            o.isPending() ? o.finalName : o.stagingName,
            e.getMessage());
      }
    }
  }

  /**
   * Deletes a staged object or abandons a pending upload, and then its index (whose failure is
   * suppressed into the object's); one already gone is fine.
   */
  static void discard(AisClient client, WriteTarget target, StagedObject o) throws AisException {
    AisException failed = null;
    try {
      discardOne(client, target, o);
    } catch (AisException e) {
      failed = e;
    }
    if (o.index != null) {
      try {
        discardOne(client, target, o.index);
      } catch (AisException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private static void discardOne(AisClient client, WriteTarget target, StagedObject o)
      throws AisException {
    if (o.isPending()) {
      client.abortMultipartUpload(target.bucket, o.finalName, o.uploadId);
    } else {
      client.delete(target.bucket, o.stagingName);
    }
  }
}
