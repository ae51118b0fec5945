package io.sparkaistore.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * An AIS cluster of the test's own that speaks TLS, started by {@code scripts/ais-local start
 * --https} (or {@code --mtls}) with its state under {@code target/}, so the TLS tests need only
 * what the script needs (aisnode, openssl, curl). The base port is {@code ais.tls.port} (default
 * 25080) plus an offset per mode; {@link #close()} stops it.
 */
final class TlsCluster implements AutoCloseable {
  private final AisLocal cluster;
  private final Path caCert;

  private TlsCluster(AisLocal cluster, Path caCert) {
    this.cluster = cluster;
    this.caCert = caCert;
  }

  /** Starts a one-target cluster in {@code mode}, {@code https} or {@code mtls}. */
  static TlsCluster start(String mode, int portOffset) throws IOException {
    int port = Integer.getInteger("ais.tls.port", 25080) + portOffset;
    AisLocal cluster = AisLocal.start(mode, 1, port, "--" + mode);
    return new TlsCluster(cluster, Path.of(cluster.script("ca-path")));
  }

  URI endpoint() {
    return cluster.endpoint();
  }

  /** The same cluster under another scheme or host, e.g. {@code http://127.0.0.1:port}. */
  String endpoint(String scheme, String host) {
    return scheme + "://" + host + ":" + cluster.endpoint().getPort();
  }

  String caCert() {
    return caCert.toString();
  }

  /** The client certificate the script signed with the cluster's CA, for mTLS. */
  String clientCert() {
    return caCert.resolveSibling("client.pem").toString();
  }

  String clientKey() {
    return caCert.resolveSibling("client.key").toString();
  }

  @Override
  public void close() throws IOException {
    cluster.close();
  }
}
