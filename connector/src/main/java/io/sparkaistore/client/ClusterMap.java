package io.sparkaistore.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AIS's cluster map (Smap): the proxies and targets, by node ID. */
public final class ClusterMap {
  private final String uuid;
  private final Map<String, AisNode> proxies;
  private final Map<String, AisNode> targets;

  private ClusterMap(String uuid, Map<String, AisNode> proxies, Map<String, AisNode> targets) {
    this.uuid = uuid;
    this.proxies = proxies;
    this.targets = targets;
  }

  static ClusterMap fromJson(JsonNode smap) {
    return new ClusterMap(
        smap.path("uuid").asText(), nodes(smap.path("pmap"), false), nodes(smap.path("tmap"), true));
  }

  private static Map<String, AisNode> nodes(JsonNode map, boolean target) {
    Map<String, AisNode> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      URI url = URI.create(e.getValue().path("public_net").path("direct_url").asText());
      out.put(e.getKey(), new AisNode(e.getKey(), target, url));
    }
    return Collections.unmodifiableMap(out);
  }

  public String uuid() {
    return uuid;
  }

  public List<AisNode> targets() {
    return new ArrayList<>(targets.values());
  }

  public List<AisNode> proxies() {
    return new ArrayList<>(proxies.values());
  }

  /** The target with this ID, or null. */
  public AisNode target(String id) {
    return targets.get(id);
  }
}
