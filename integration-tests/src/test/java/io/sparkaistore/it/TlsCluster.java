package io.sparkaistore.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An AIS cluster of the test's own that speaks TLS, started by {@code scripts/ais-local start --https}
 * (or {@code --mtls}) with its state under {@code target/}, so the TLS tests need only what the script
 * needs (aisnode, openssl, curl). The base port is {@code ais.tls.port} (default 25080) plus an offset
 * per mode; {@link #close()} stops it.
 */
final class TlsCluster implements AutoCloseable {
  private final Path stateDir;
  private final URI endpoint;
  private final Path caCert;

  private TlsCluster(Path stateDir, URI endpoint, Path caCert) {
    this.stateDir = stateDir;
    this.endpoint = endpoint;
    this.caCert = caCert;
  }

  /** Starts a one-target cluster in {@code mode}, {@code https} or {@code mtls}. */
  static TlsCluster start(String mode, int portOffset) throws IOException, InterruptedException {
    Path state = Path.of("target", "ais-local-" + mode).toAbsolutePath();
    script(state, "stop"); // what an aborted earlier run may have left
    String port = String.valueOf(Integer.getInteger("ais.tls.port", 25080) + portOffset);
    URI endpoint = URI.create(script(state, "start", "--targets", "1", "--port", port, "--" + mode).strip());
    return new TlsCluster(state, endpoint, Path.of(script(state, "ca-path").strip()));
  }

  URI endpoint() {
    return endpoint;
  }

  /** The same cluster under another scheme or host, e.g. {@code http://127.0.0.1:port}. */
  String endpoint(String scheme, String host) {
    return scheme + "://" + host + ":" + endpoint.getPort();
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
  public void close() throws IOException, InterruptedException {
    script(stateDir, "stop");
  }

  private static String script(Path state, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of("..", "scripts", "ais-local").toString()));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile("ais-local", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    builder.environment().put("AIS_LOCAL_DIR", state.toString());
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    String err = Files.readString(stderr);
    Files.delete(stderr);
    if (!done || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " failed: " + err + out);
    }
    return out;
  }
}
