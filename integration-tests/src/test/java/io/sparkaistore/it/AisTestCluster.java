package io.sparkaistore.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.FixedHostPortGenericContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The AIStore cluster integration tests run against, resolved once per JVM: {@code AIS_ENDPOINT}
 * (or the {@code ais.endpoint} system property) when set; otherwise, where a Docker engine answers,
 * the {@code aistorage/cluster-minimal} image; otherwise a failure that says how to start one.
 * Tests never skip for want of a cluster.
 */
public final class AisTestCluster {
  static final String HOW_TO_START =
      "Start a local cluster with `scripts/ais-local start` and export the AIS_ENDPOINT it prints, "
          + "or run the whole suite with `scripts/test`, which starts and stops one itself.";

  private static final String DOCKER_IMAGE = "aistorage/cluster-minimal:latest";
  // The image's proxy redirects clients to its target by the target's advertised 127.0.0.1 port, so
  // the container's ports must be bound to the same host ports.
  private static final int DOCKER_PROXY_PORT = 51080;
  private static final int DOCKER_TARGET_PORT = 51081;

  private static URI endpoint;

  private AisTestCluster() {}

  /** The cluster's gateway (primary proxy) URL, verified reachable and healthy. */
  public static synchronized URI endpoint() {
    if (endpoint == null) {
      endpoint = checkHealthy(resolve());
    }
    return endpoint;
  }

  private static URI resolve() {
    String configured = System.getProperty("ais.endpoint", System.getenv("AIS_ENDPOINT"));
    if (configured != null && !configured.isBlank()) {
      return URI.create(configured.strip());
    }
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return startContainer();
    }
    throw new IllegalStateException(
        "No AIStore cluster for the integration tests: AIS_ENDPOINT is not set and no Docker engine "
            + "is available. "
            + HOW_TO_START);
  }

  @SuppressWarnings({"resource", "deprecation"})
  private static URI startContainer() {
    GenericContainer<?> ais =
        new FixedHostPortGenericContainer<>(DOCKER_IMAGE)
            .withFixedExposedPort(DOCKER_PROXY_PORT, DOCKER_PROXY_PORT)
            .withFixedExposedPort(DOCKER_TARGET_PORT, DOCKER_TARGET_PORT)
            .waitingFor(
                Wait.forHttp("/v1/health?prr=true")
                    .forPort(DOCKER_PROXY_PORT)
                    .withStartupTimeout(Duration.ofMinutes(3)));
    ais.start(); // stopped by Testcontainers' reaper when the JVM exits
    return URI.create("http://127.0.0.1:" + DOCKER_PROXY_PORT);
  }

  private static URI checkHealthy(URI gateway) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(gateway.resolve("/v1/health"))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      int status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new IllegalStateException(
            "AIStore at "
                + gateway
                + " is not healthy (GET /v1/health answered "
                + status
                + "). "
                + HOW_TO_START);
      }
      return gateway;
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot reach AIStore at " + gateway + " (" + e + "). " + HOW_TO_START, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while probing AIStore at " + gateway, e);
    }
  }
}
