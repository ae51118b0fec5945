package io.sparkaistore.it;

import io.sparkaistore.client.AisNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test cluster behind fault proxies: a {@link FaultProxy} in front of the gateway and one in
 * front of every target, the gateway's redirects rewritten to name the targets' proxies, so that
 * every hop of every request (the gateway's answer, then the target's) passes through one. Use
 * {@link #endpoint()} as the client's endpoint; AIS's own traffic between its nodes is left alone.
 */
public final class FaultyCluster implements AutoCloseable {
  private final FaultProxy gateway;
  private final Map<String, FaultProxy> targets = new LinkedHashMap<>();

  private FaultyCluster(FaultProxy gateway) {
    this.gateway = gateway;
  }

  /**
   * Proxies for the gateway and the targets of the test cluster's current map, forwarding
   * faithfully.
   */
  public static FaultyCluster start() throws IOException {
    FaultyCluster cluster = new FaultyCluster(new FaultProxy(AisTestCluster.endpoint()));
    Map<String, String> rewrites = new HashMap<>();
    try {
      for (AisNode target : AisTestBuckets.client().clusterMap().targets()) {
        FaultProxy proxy = new FaultProxy(target.publicUrl());
        cluster.targets.put(target.id(), proxy);
        rewrites.put(authority(target.publicUrl()), authority(proxy.uri()));
      }
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    cluster.all().forEach(p -> p.rewriteLocations(rewrites));
    return cluster;
  }

  /** The gateway's proxy: the endpoint for clients. */
  public URI endpoint() {
    return gateway.uri();
  }

  /** The proxy in front of the gateway. */
  public FaultProxy gateway() {
    return gateway;
  }

  /** The proxy in front of the target with this AIS node ID. */
  public FaultProxy target(String id) {
    return targets.get(id);
  }

  /**
   * Every proxy answers a share {@code errorRate} of requests with {@code status} and cuts a share
   * {@code cutRate} of connections inside a response; proxy i draws from {@code seed + i}. See
   * {@link FaultProxy#randomFaults} for {@code spareBodiless}.
   */
  public FaultyCluster randomFaults(
      long seed, double errorRate, int status, double cutRate, boolean spareBodiless) {
    List<FaultProxy> all = all();
    for (int i = 0; i < all.size(); i++) {
      all.get(i).randomFaults(seed + i, errorRate, status, cutRate, spareBodiless);
    }
    return this;
  }

  /**
   * The next request matching {@code regex} that reaches a target (through any target's proxy) is
   * carried out there while its answer is lost: for requests whose body only the target gets (an
   * upload's bytes), which {@link FaultProxy#loseAnswerToNextRequest} at the gateway cannot carry
   * out.
   */
  public FaultyCluster loseAnswerAtTargets(String regex) {
    targets.values().forEach(p -> p.loseAnswerToNextRequest(regex));
    return this;
  }

  /** The next request matching {@code regex} at each target gets {@code status}. */
  public FaultyCluster failAtTargets(String regex, int status) {
    targets.values().forEach(p -> p.failNextRequest(regex, status));
    return this;
  }

  /**
   * The answer to the next request matching {@code regex} at each target is cut after {@code
   * bodyBytes} bytes of its body.
   */
  public FaultyCluster cutAtTargets(String regex, long bodyBytes) {
    targets.values().forEach(p -> p.cutResponseToNextRequest(regex, bodyBytes));
    return this;
  }

  /** Response bytes sent on to clients so far, over all proxies: what went over the wire. */
  public long bytesToClients() {
    return all().stream().mapToLong(FaultProxy::bytesToClients).sum();
  }

  /** Requests carried out whose answers were lost so far, over all proxies. */
  public int lostAnswers() {
    return all().stream().mapToInt(FaultProxy::lostAnswers).sum();
  }

  /** Errors injected so far, over all proxies. */
  public int errorsInjected() {
    return all().stream().mapToInt(FaultProxy::errorsInjected).sum();
  }

  /** Responses cut so far, over all proxies. */
  public int cuts() {
    return all().stream().mapToInt(FaultProxy::cuts).sum();
  }

  /** "N errors, M cuts", for assertion messages. */
  public String faults() {
    return errorsInjected() + " injected errors, " + cuts() + " cut responses";
  }

  private List<FaultProxy> all() {
    List<FaultProxy> all = new ArrayList<>(List.of(gateway));
    all.addAll(targets.values());
    return all;
  }

  private static String authority(URI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  @Override
  public void close() throws IOException {
    for (FaultProxy p : all()) {
      p.close();
    }
  }
}
