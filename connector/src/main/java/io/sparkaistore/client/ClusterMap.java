package io.sparkaistore.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The targets of AIS's cluster map (Smap), by node ID. */
public final class ClusterMap {
  private final Map<String, AisNode> targets;

  private ClusterMap(Map<String, AisNode> targets) {
    this.targets = targets;
  }

  static ClusterMap fromJson(JsonNode smap) {
    return new ClusterMap(targets(smap.path("tmap")));
  }

  private static Map<String, AisNode> targets(JsonNode map) {
    Map<String, AisNode> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      URI url = URI.create(e.getValue().path("public_net").path("direct_url").asText());
      out.put(e.getKey(), new AisNode(e.getKey(), true, url));
    }
    return Collections.unmodifiableMap(out);
  }

  public List<AisNode> targets() {
    return new ArrayList<>(targets.values());
  }

  /** The target with this ID, or null. */
  public AisNode target(String id) {
    return targets.get(id);
  }
}
