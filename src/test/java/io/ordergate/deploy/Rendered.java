package io.ordergate.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.ordergate.config.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kustomization rendered and parsed: the objects an operator would apply, with the lookups the
 * checks need.
 */
record Rendered(String label, String environment, List<HasMetadata> objects) {
  static final String GATEWAY = "order-gate";
  static final Path DOCKERFILE = Path.of("Dockerfile");

  /** Read by the java launcher, not by the gateway. */
  static final String JVM_OPTIONS = "JDK_JAVA_OPTIONS";

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    return all(type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(label + ": no " + type.getSimpleName() + " named " + name));
  }

  Deployment gateway() {
    return one(Deployment.class, GATEWAY);
  }

  Container gatewayContainer() {
    return gateway().getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(GATEWAY))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(label + ": the Deployment has no container named " + GATEWAY));
  }

  List<GenericKubernetesResource> serviceMonitors() {
    return all(GenericKubernetesResource.class).stream()
        .filter(r -> r.getKind().equals("ServiceMonitor"))
        .toList();
  }

  List<GenericKubernetesResource> prometheusRules() {
    return all(GenericKubernetesResource.class).stream()
        .filter(r -> r.getKind().equals("PrometheusRule"))
        .toList();
  }

  /** The gateway's container port with this name (or number). */
  int containerPort(IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return gatewayContainer().getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    label + ": the gateway container has no port named " + port.getStrVal()));
  }

  /** The ConfigMap named {@code name} as kustomize generated it (with its hash suffix). */
  ConfigMap configMap(String name) {
    return all(ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    label
                        + ": the container refers to ConfigMap "
                        + name
                        + ", which is not rendered"));
  }

  Service service(String name) {
    return one(Service.class, name);
  }

  /**
   * The variables the gateway process sees: the image's ENV, then the ConfigMaps in envFrom, then
   * the container's env. Secret values are not in the manifests; they stand in as plausible
   * placeholders so that the gateway's own validation can run on everything else.
   */
  Map<String, String> gatewayEnv() {
    Map<String, String> env = new LinkedHashMap<>(imageEnv());
    Container c = gatewayContainer();
    for (EnvFromSource from : c.getEnvFrom()) {
      if (from.getConfigMapRef() == null) {
        throw new AssertionError(
            label + ": envFrom other than a ConfigMap is not checked: " + from);
      }
      env.putAll(configMap(from.getConfigMapRef().getName()).getData());
    }
    for (EnvVar v : c.getEnv()) {
      if (v.getValue() != null) {
        env.put(v.getName(), v.getValue());
      } else if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
        env.put(v.getName(), secretPlaceholder(v.getName()));
      } else if (v.getValueFrom() != null && v.getValueFrom().getConfigMapKeyRef() != null) {
        var ref = v.getValueFrom().getConfigMapKeyRef();
        env.put(v.getName(), configMap(ref.getName()).getData().get(ref.getKey()));
      } else {
        env.put(v.getName(), "from-the-downward-api");
      }
    }
    return env;
  }

  /** The names the container's env entries take from Secrets. */
  List<String> secretVariables() {
    return gatewayContainer().getEnv().stream()
        .filter(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null)
        .map(EnvVar::getName)
        .toList();
  }

  static String secretPlaceholder(String variable) {
    if (variable.equals(DatabaseSettings.URL)) {
      return "postgresql://order_gate:from-a-secret@db.example.internal:5432/ordergate";
    }
    return variable.endsWith("_URL")
        ? "http://from-a-secret.example:8080"
        : "from-a-secret-0123456789abcdef";
  }

  /** {@code ENV NAME=value} lines of the runtime stage of the Dockerfile. */
  static Map<String, String> imageEnv() {
    try {
      String dockerfile = Files.readString(DOCKERFILE);
      String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
      Map<String, String> env = new LinkedHashMap<>();
      Matcher m = Pattern.compile("(?m)^ENV\\s+([A-Z0-9_]+)=(\"[^\"]*\"|\\S+)").matcher(runtime);
      while (m.find()) {
        env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
      }
      return env;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
