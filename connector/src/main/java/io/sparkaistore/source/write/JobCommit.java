package io.sparkaistore.source.write;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.AisNode;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.source.options.AisOptions.Layout;
import io.sparkaistore.source.options.AisOptions.ShardNaming;
import io.sparkaistore.source.options.WriteConfig;
import io.sparkaistore.wds.DaliIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of the commit protocol (docs/writing.md). Tasks stage objects under {@code
 * <path>/_temporary/<query id>/}, or, for shards named by partition, leave multipart uploads
 * pending under their final names. Committing the job takes the path's commit lock, then puts each
 * committed attempt's objects in place: a staged one with AIS's rename, a pending one by completing
 * its upload; an objects-layout overwrite first sets aside the old objects the new ones replace. A
 * shard's DALI index is published just before the shard and removed just after it, so that a
 * listing never shows a shard without its index. The commit point is the last of those steps, or
 * for shards the manifest written after them. A failure before it undoes every step, so the path
 * holds what it held before; after it, an overwrite removes what it replaces. Either way the job's
 * staging area is swept, which also removes what failed or speculative attempts left.
 */
final class JobCommit {
  private static final Logger LOG = LoggerFactory.getLogger(JobCommit.class);
  // Names an error lists before it says how many more there are.
  private static final int LISTED = 20;

  private final AisClient client;
  private final WriteConfig options;
  private final WriteTarget target;
  private final boolean truncate;
  private final SaveMode ifFilled;
  private final boolean shards;
  private final CommitSteps steps;
  private final List<String> placed = Collections.synchronizedList(new ArrayList<>());
  // The cluster's targets when the commit began; null if unknown.
  private Set<String> targetsAtStart;
  private byte[] manifestBefore; // the manifest a failed write puts back; null when there was none
  private boolean manifestWritten;
  private volatile boolean attempted;

  /**
   * @param ifFilled {@code ErrorIfExists} or {@code Ignore} for a save that found the path empty:
   *     under the lock, objects that another write committed since fail this one or make it do
   *     nothing
   */
  JobCommit(WriteConfig options, WriteTarget target, boolean truncate, SaveMode ifFilled) {
    this.client = AisClient.create(options.clientConfig());
    this.options = options;
    this.target = target;
    this.truncate = truncate;
    this.ifFilled = ifFilled;
    this.shards = options.layout() == Layout.WEBDATASET;
    this.steps = new CommitSteps(options.commitThreads());
  }

  /** Requests the job commit retried so far. */
  long retries() {
    return client.stats().retries();
  }

  /**
   * Publishes the staged output under the path; false when an {@code ignore} save found the path
   * filled by another write meanwhile and published nothing.
   */
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  boolean commit(WriterCommitMessage[] messages) throws IOException {
    List<StagedObject> staged = staged(messages);
    staged.sort(
        Comparator.<StagedObject>comparingInt(o -> o.partitionId)
            .thenComparingInt(o -> o.sequence));
    SetAside aside = new SetAside(client, target, steps, List.of());
    try (CommitLock lock = CommitLock.acquire(client, target, options.commitLockTimeout())) {
      // From here on the commit undoes its own failures, and an abort has nothing left to do.
      attempted = true;
      targetsAtStart = targets();
      Set<String> existing;
      List<String> finals;
      try {
        existing = PathListing.objects(client, target.bucket, target.prefix);
        if (ifFilled != null && !existing.isEmpty()) {
          filledMeanwhile(staged, existing.size());
          return false;
        }
        finals = finalNames(staged, existing);
        if (truncate && !shards) {
          aside = new SetAside(client, target, steps, FinalNames.toSetAside(existing, finals));
        }
        place(staged, finals, existing, aside);
      } catch (IOException | RuntimeException e) {
        throw undo(e, staged, aside);
      }
      removeReplaced(existing, published(staged, finals));
      LOG.info("Committed {} object(s) to {}", finals.size(), target);
      return true;
    } finally {
      if (attempted) {
        sweepStaging(aside);
      }
    }
  }

  /**
   * Another write filled the path after this save found it empty: {@code errorifexists} fails and
   * {@code ignore} does nothing, as they would have had the path held those objects at the start.
   * The staging area is swept on the way out; pending uploads are abandoned here.
   */
  private void filledMeanwhile(List<StagedObject> staged, int objects) throws IOException {
    List<StagedObject> pending = pending(staged);
    steps
        .each(pending.size(), i -> Staging.discard(client, target, pending.get(i)))
        .forEach(
            (i, e) ->
                LOG.warn(
                    "Could not abandon the pending upload of {}: {}",
                    pending.get(i).finalName,
                    e.getMessage()));
    if (ifFilled == SaveMode.ErrorIfExists) {
      throw new IllegalStateException(
          "Cannot write to "
              + target
              + ": "
              + objects
              + " object(s) appeared under it "
              + "while this write ran (another write committed first; save mode errorifexists). Nothing was changed.");
    }
    LOG.info(
        "Not writing to {}: another write filled it while this one ran (save mode ignore)", target);
  }

  /**
   * Removes what the job staged; after a commit attempt, which cleans up after itself, there is
   * nothing to do.
   */
  void abort(WriterCommitMessage[] messages) throws IOException {
    if (attempted) {
      return;
    }
    List<StagedObject> pending = pending(staged(messages));
    List<String> left = new ArrayList<>();
    steps
        .each(pending.size(), i -> Staging.discard(client, target, pending.get(i)))
        .forEach((i, e) -> left.add(pending.get(i).finalName));
    sweepStaging(null);
    if (!left.isEmpty()) {
      throw new IOException(
          "Aborting the write to "
              + target
              + " left "
              + left.size()
              + " pending upload(s), "
              + "invisible until AIS removes abandoned uploads: "
              + listed(left));
    }
  }

  private static List<StagedObject> staged(WriterCommitMessage[] messages) {
    List<StagedObject> staged = new ArrayList<>();
    for (WriterCommitMessage m : messages == null ? new WriterCommitMessage[0] : messages) {
      if (m != null) {
        staged.addAll(((AisCommitMessage) m).staged);
      }
    }
    return staged;
  }

  private static List<StagedObject> pending(List<StagedObject> staged) {
    List<StagedObject> out = new ArrayList<>();
    for (StagedObject o : staged) {
      if (o.isPending()) {
        out.add(o);
      }
    }
    return out;
  }

  private List<String> finalNames(List<StagedObject> staged, Set<String> existing) {
    return shards && options.shardNaming() == ShardNaming.SEQUENTIAL
        ? FinalNames.numberedByDirectory(target, staged, existing, options.compression())
        : FinalNames.given(target, staged, existing, truncate);
  }

  /**
   * Sets aside what an objects overwrite replaces, puts every object in place, and for shards
   * writes the manifest: the last step is the commit point.
   */
  private void place(
      List<StagedObject> staged, List<String> finals, Set<String> existing, SetAside aside)
      throws IOException {
    aside.move();
    steps.all(staged.size(), i -> publish(staged.get(i), finals.get(i)));
    if (shards) {
      manifestBefore =
          existing.contains(target.manifest())
              ? client.getBytes(target.bucket, target.manifest())
              : null;
      manifestWritten = true;
      client.put(
          target.bucket,
          target.manifest(),
          ShardManifest.build(truncate ? null : manifestBefore, staged, finals));
    }
  }

  /** Puts a shard's index in place, then the object itself. */
  private void publish(StagedObject o, String finalName) throws AisException {
    if (o.index != null) {
      publishOne(o.index, DaliIndex.nameOf(finalName));
    }
    publishOne(o, finalName);
  }

  /**
   * A staged object is renamed into place, a pending upload completed; the client checks the
   * result.
   */
  private void publishOne(StagedObject o, String finalName) throws AisException {
    // Before the request: an interrupted one may still complete in AIS.
    placed.add(finalName);
    if (o.isPending()) {
      client.completeMultipartUpload(target.bucket, finalName, o.uploadId, o.parts, o.bytes);
    } else {
      client.rename(target.bucket, o.stagingName, finalName);
    }
  }

  /**
   * Undoes a commit that failed before its commit point: puts the manifest back, deletes the new
   * objects, abandons pending uploads and puts back what was set aside. The exception says whether
   * the path holds what it held before, and if not, exactly what is where.
   */
  private IOException undo(Exception cause, List<StagedObject> staged, SetAside aside) {
    List<String> problems = new ArrayList<>();
    if (manifestWritten) {
      putManifestBack(problems);
    }
    List<String> added = new ArrayList<>(placed);
    added.removeAll(new HashSet<>(aside.names())); // putting the old ones back replaces these
    List<String> notRemoved = new ArrayList<>();
    deleteShardsFirst(added)
        .forEach(
            (name, e) -> {
              if (mayExist(name)) {
                notRemoved.add(name + " (" + e.getMessage() + ")");
              }
            });
    if (!notRemoved.isEmpty()) {
      problems.add(
          notRemoved.size()
              + " new object(s) are still under their final names: "
              + listed(notRemoved));
    }
    List<StagedObject> pending = pending(staged);
    Map<Integer, Exception> notAbandoned =
        steps.each(pending.size(), i -> Staging.discard(client, target, pending.get(i)));
    List<String> stranded = aside.restore();
    if (!stranded.isEmpty()) {
      problems.add(
          stranded.size()
              + " old object(s) could not be put back (their names may hold the new objects "
              + "meanwhile): "
              + listed(stranded)
              + "; all of them are listed in "
              + aside.journal());
    }
    Set<String> targetsNow = targets();
    if (targetsAtStart != null && targetsNow != null && !targetsAtStart.equals(targetsNow)) {
      // An object on a target that left answers 404, as if removed or never moved, and comes back
      // with it.
      problems.add(
          "the cluster's targets changed during the commit ("
              + targetsAtStart
              + ", then "
              + targetsNow
              + "), so what the write placed on a target that left was neither removed nor put back and returns with it: "
              + "the write placed "
              + listed(new ArrayList<>(placed)));
    }
    String message =
        "Cannot commit the write to "
            + target
            + ": "
            + cause.getMessage()
            + ". "
            + (problems.isEmpty()
                ? "The write was undone: the path holds what it held before."
                : "Undoing the write did not finish, so the path does not hold what it held before: "
                    + String.join("; ", problems)
                    + ". Put them right by hand (docs/writing.md).");
    if (!notAbandoned.isEmpty()) {
      message +=
          " "
              + notAbandoned.size()
              + " pending upload(s) were not abandoned; they stay invisible until AIS "
              + "removes abandoned uploads.";
    }
    return new IOException(message, cause);
  }

  /** Whether {@code name} may be there: a publish that failed may never have created it. */
  private boolean mayExist(String name) {
    try {
      client.headObject(target.bucket, name);
      return true;
    } catch (AisException e) {
      return !e.isNotFound();
    }
  }

  private void putManifestBack(List<String> problems) {
    try {
      if (manifestBefore == null) {
        client.delete(target.bucket, target.manifest());
      } else {
        client.put(target.bucket, target.manifest(), manifestBefore);
      }
    } catch (AisException e) {
      problems.add(
          target.manifest()
              + " may list the new shards and could not be put back ("
              + e.getMessage()
              + ")");
    }
  }

  /** The ids of the cluster's targets, or null when the cluster map cannot be read. */
  private Set<String> targets() {
    try {
      return client.clusterMap().targets().stream()
          .map(AisNode::id)
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (AisException e) {
      return null;
    }
  }

  /**
   * After the commit point, an overwrite removes every object it did not place (the manifest aside,
   * for shards).
   */
  private void removeReplaced(Set<String> existing, List<String> published) throws IOException {
    if (!truncate) {
      return;
    }
    List<String> replaced = new ArrayList<>(existing);
    replaced.removeAll(new HashSet<>(published));
    if (shards) {
      replaced.remove(target.manifest());
    }
    List<String> left = new ArrayList<>();
    deleteShardsFirst(replaced).forEach((name, e) -> left.add(name + " (" + e.getMessage() + ")"));
    if (!left.isEmpty()) {
      throw new IOException(
          "The write to "
              + target
              + " is committed (the new objects are in place"
              + (shards ? " and listed in " + target.manifest() : "")
              + "), but "
              + left.size()
              + " of the objects it "
              + "replaces could not be removed: "
              + listed(left)
              + ". Run the write again in overwrite mode, or remove "
              + "them by hand.");
    }
  }

  /** The final names of the objects and of their indexes. */
  private static List<String> published(List<StagedObject> staged, List<String> finals) {
    List<String> names = new ArrayList<>(finals);
    for (int i = 0; i < staged.size(); i++) {
      if (staged.get(i).index != null) {
        names.add(DaliIndex.nameOf(finals.get(i)));
      }
    }
    return names;
  }

  /**
   * Deletes {@code names}, every shard before its index, so that a listing never shows a shard
   * without its index: an index whose shard could not be deleted, and may be there, stays with it.
   * Returns what is left, by name, in order, with why.
   */
  private Map<String, Exception> deleteShardsFirst(List<String> names) {
    List<String> others = new ArrayList<>();
    List<String> indexes = new ArrayList<>();
    for (String name : names) {
      (shards && DaliIndex.isIndex(name) ? indexes : others).add(name);
    }
    Map<String, Exception> left = new LinkedHashMap<>();
    steps
        .each(others.size(), i -> client.delete(target.bucket, others.get(i)))
        .forEach((i, e) -> left.put(others.get(i), e));
    List<String> deletable = new ArrayList<>();
    for (String index : indexes) {
      String shard = DaliIndex.shardOf(index);
      // A failed delete of a shard that is not there (its publish failed too) keeps no index.
      if (left.containsKey(shard) && mayExist(shard)) {
        left.put(index, new IOException("kept with its shard " + shard + ", which is left"));
      } else {
        deletable.add(index);
      }
    }
    steps
        .each(deletable.size(), i -> client.delete(target.bucket, deletable.get(i)))
        .forEach((i, e) -> left.put(deletable.get(i), e));
    return left;
  }

  /**
   * Deletes everything under this job's staging prefix: leftovers of failed and speculative
   * attempts, and after a committed overwrite the objects it replaced, but never old objects a
   * failed overwrite could not put back. Best effort: what remains is under {@code _temporary/},
   * which readers skip.
   */
  private void sweepStaging(SetAside aside) {
    try {
      List<String> left = new ArrayList<>();
      for (ObjectEntry e :
          client.listObjects(target.bucket, ListOptions.prefix(target.stagingPrefix()))) {
        if (aside == null || !aside.keeps(e.name())) {
          left.add(e.name());
        }
      }
      steps
          .each(left.size(), i -> client.delete(target.bucket, left.get(i)))
          .forEach(
              (i, e) ->
                  LOG.warn(
                      "Could not remove {}/{}: {}", target.bucket, left.get(i), e.getMessage()));
    } catch (IOException e) {
      LOG.warn(
          "Could not clear the staging area {}{}: {}",
          target.bucket + "/",
          target.stagingPrefix(),
          e.getMessage());
    }
  }

  private static String listed(List<String> items) {
    return items.size() <= LISTED
        ? items.toString()
        : items.subList(0, LISTED) + " and " + (items.size() - LISTED) + " more";
  }
}
