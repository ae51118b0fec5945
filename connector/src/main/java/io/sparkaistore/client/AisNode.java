package io.sparkaistore.client;

import java.io.Serializable;
import java.net.URI;

/** A node of the cluster map: its ID, role and public URL. */
public final class AisNode implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final boolean target;
  private final URI publicUrl;

  public AisNode(String id, boolean target, URI publicUrl) {
    this.id = id;
    this.target = target;
    this.publicUrl = publicUrl;
  }

  public String id() {
    return id;
  }

  public boolean isTarget() {
    return target;
  }

  public URI publicUrl() {
    return publicUrl;
  }

  /** The host name or IP clients reach the node at (what Spark's preferred locations compare). */
  public String host() {
    return publicUrl.getHost();
  }

  @Override
  public String toString() {
    return (target ? "target " : "proxy ") + id + " at " + publicUrl;
  }
}
