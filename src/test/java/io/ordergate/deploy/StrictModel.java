package io.ordergate.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered manifests against fabric8's Kubernetes model, refusing anything the API would not
 * know. fabric8 classes keep unknown fields in {@code additionalProperties} through a
 * {@code @JsonAnySetter}, so FAIL_ON_UNKNOWN_PROPERTIES alone would accept a misspelt {@code
 * readinesProbe}: the any-setter is removed here, and every object is also serialized back and
 * compared with what was written, so nothing can be dropped quietly either.
 */
final class StrictModel {
  /** The kinds the manifests may use, each with the API version this checker knows. */
  private static final Map<String, Typed> KINDS =
      Map.of(
          "ConfigMap", new Typed("v1", ConfigMap.class),
          "Service", new Typed("v1", Service.class),
          "ServiceAccount", new Typed("v1", ServiceAccount.class),
          "Deployment", new Typed("apps/v1", Deployment.class),
          "PodDisruptionBudget", new Typed("policy/v1", PodDisruptionBudget.class),
          "HorizontalPodAutoscaler", new Typed("autoscaling/v2", HorizontalPodAutoscaler.class),
          "NetworkPolicy", new Typed("networking.k8s.io/v1", NetworkPolicy.class));

  /**
   * The Prometheus Operator's API (ServiceMonitor, PrometheusRule): CRDs without a fabric8 model,
   * checked structurally by the tests that use them.
   */
  static final String SERVICE_MONITOR_API = "monitoring.coreos.com/v1";

  private static final java.util.Set<String> PROMETHEUS_OPERATOR_KINDS =
      java.util.Set.of("ServiceMonitor", "PrometheusRule");

  private record Typed(String apiVersion, Class<? extends HasMetadata> type) {}

  private static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .registerModule(
              new SimpleModule("no-any-setter")
                  .setDeserializerModifier(
                      new BeanDeserializerModifier() {
                        @Override
                        public BeanDeserializerBuilder updateBuilder(
                            DeserializationConfig config,
                            BeanDescription bean,
                            BeanDeserializerBuilder builder) {
                          if (bean.getBeanClass().getName().startsWith("io.fabric8.")) {
                            builder.setAnySetter(null);
                          }
                          return builder;
                        }
                      }));
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private StrictModel() {}

  /**
   * Every document of a multi-document YAML stream, typed; fails on the first unknown kind or
   * field.
   */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        out.add(parse(doc));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static HasMetadata parse(JsonNode doc) {
    String kind = doc.path("kind").asText();
    String apiVersion = doc.path("apiVersion").asText();
    String name = kind + "/" + doc.path("metadata").path("name").asText();
    if (PROMETHEUS_OPERATOR_KINDS.contains(kind) && apiVersion.equals(SERVICE_MONITOR_API)) {
      return PLAIN.convertValue(doc, GenericKubernetesResource.class);
    }
    Typed typed = KINDS.get(kind);
    if (typed == null) {
      throw new AssertionError(
          name
              + ": kind "
              + kind
              + " ("
              + apiVersion
              + ") is not one this check knows; add it to "
              + StrictModel.class.getSimpleName()
              + ".KINDS with its fabric8 model class");
    }
    if (!typed.apiVersion().equals(apiVersion)) {
      throw new AssertionError(
          name + ": apiVersion " + apiVersion + ", expected " + typed.apiVersion());
    }
    HasMetadata parsed;
    try {
      parsed = STRICT.treeToValue(doc, typed.type());
    } catch (JsonProcessingException e) {
      throw new AssertionError(
          name
              + " does not match the Kubernetes API: "
              + e.getOriginalMessage()
              + " at "
              + pathOf(e),
          e);
    }
    JsonNode back = PLAIN.valueToTree(parsed);
    List<String> lost = new ArrayList<>();
    diff("", doc, back, lost);
    if (!lost.isEmpty()) {
      throw new AssertionError(name + ": the Kubernetes model does not keep " + lost);
    }
    return parsed;
  }

  private static String pathOf(JsonProcessingException e) {
    return e instanceof com.fasterxml.jackson.databind.JsonMappingException m
        ? m.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .reduce((a, b) -> a + "." + b)
            .orElse("?")
        : "?";
  }

  /** Fields written in the manifest that do not come back the same from the model. */
  private static void diff(String path, JsonNode written, JsonNode kept, List<String> lost) {
    if (written.isObject()) {
      written
          .fieldNames()
          .forEachRemaining(
              f -> {
                JsonNode k = kept == null ? null : kept.get(f);
                if (k == null || k.isNull()) {
                  // An empty object or list carries no information; the model may drop it.
                  if (!(written.get(f).isContainerNode() && written.get(f).isEmpty())) {
                    lost.add(path + "." + f);
                  }
                } else {
                  diff(path + "." + f, written.get(f), k, lost);
                }
              });
    } else if (written.isArray()) {
      for (int i = 0; i < written.size(); i++) {
        diff(
            path + "[" + i + "]",
            written.get(i),
            kept != null && kept.size() > i ? kept.get(i) : null,
            lost);
      }
    } else if (kept == null || !written.asText().equals(kept.asText())) {
      lost.add(path + " (" + written + " became " + kept + ")");
    }
  }
}
