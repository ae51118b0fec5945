package io.sparkaistore.client;

import java.net.URI;

/**
 * Where one hop of a request went: the gateway (the configured endpoint) or, after a redirect, the
 * node it named, which for object and GetBatch requests is a target. Error messages name it, so
 * that a failing target is not reported as the gateway that redirected to it.
 */
final class Hop {
  private final String authority;
  private final boolean redirected;

  Hop(URI uri, boolean redirected) {
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    this.authority = uri.getHost() + ":" + port;
    this.redirected = redirected;
  }

  /** {@code host:port}. */
  String authority() {
    return authority;
  }

  @Override
  public String toString() {
    return (redirected ? "target " : "gateway ") + authority;
  }
}
