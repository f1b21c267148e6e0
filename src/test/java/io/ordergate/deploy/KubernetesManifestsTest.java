package io.ordergate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.ordergate.app.Gateway;
import io.ordergate.config.AdminSettings;
import io.ordergate.config.ConfigException;
import io.ordergate.config.DatabaseSettings;
import io.ordergate.config.Env;
import io.ordergate.config.GatewayConfig;
import io.ordergate.config.UnleashSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The k8s/ manifests, rendered per overlay with {@code kubectl kustomize}, parsed strictly against
 * the Kubernetes API model and checked against the gateway itself: its settings, ports, variables
 * and shutdown. Nothing here is re-typed from the gateway where the gateway can be asked instead.
 */
class KubernetesManifestsTest {
  static final Path K8S = Path.of("k8s");
  static final Path EDGE_COMPONENT = K8S.resolve("components").resolve("unleash-edge");
  private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

  /** Each overlay, plus production with the optional Unleash Edge component. */
  static Stream<String> targets() {
    return Stream.concat(
        Kustomize.overlays(K8S).stream().map(d -> d.getFileName().toString()),
        Stream.of("production+unleash-edge"));
  }

  static Stream<String> overlays() {
    return Kustomize.overlays(K8S).stream().map(d -> d.getFileName().toString());
  }

  static Rendered render(String target) {
    return RENDERED.computeIfAbsent(
        target,
        t -> {
          Path kustomization =
              t.equals("production+unleash-edge")
                  ? productionWithEdge()
                  : K8S.resolve("overlays").resolve(t);
          String environment = t.contains("+") ? t.substring(0, t.indexOf('+')) : t;
          return new Rendered(t, environment, StrictModel.parse(Kustomize.render(kustomization)));
        });
  }

  /** How an operator adds the component: an overlay on top of production that lists it. */
  private static Path productionWithEdge() {
    Path dir = Path.of("target", "k8s-render", "production-with-unleash-edge");
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("kustomization.yaml"),
          """
          apiVersion: kustomize.config.k8s.io/v1beta1
          kind: Kustomization
          namespace: order-gate-production
          resources:
            - ../../../k8s/overlays/production
          components:
            - ../../../k8s/components/unleash-edge
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /**
   * The settings the gateway builds from what the pod gets; a ConfigException fails with its
   * message.
   */
  static GatewayConfig configOf(Rendered r) {
    try {
      return GatewayConfig.from(new Env(r.gatewayEnv()));
    } catch (ConfigException e) {
      throw new AssertionError(
          r.label()
              + ": the gateway would refuse to start with the rendered settings: "
              + e.getMessage(),
          e);
    }
  }

  /** The gateway's own defaults, from nothing but its required settings. */
  static GatewayConfig defaults() {
    Map<String, String> env = new HashMap<>();
    env.put(GatewayConfig.ENVIRONMENT, "production");
    env.put(GatewayConfig.BACKEND_URL, "http://orders.example:8080");
    env.put(GatewayConfig.OPS_TOKEN, "0123456789abcdef0123");
    env.put(DatabaseSettings.URL, Rendered.secretPlaceholder(DatabaseSettings.URL));
    env.put(UnleashSettings.URL, "http://unleash.example:4242");
    env.put(UnleashSettings.API_TOKEN, "token");
    return GatewayConfig.from(new Env(env));
  }

  // --- the manifests are valid Kubernetes --------------------------------------------------------

  @ParameterizedTest
  @MethodSource("targets")
  void everyOverlayRendersAndEveryObjectParsesStrictlyAgainstTheKubernetesApi(String target) {
    Rendered r = render(target);
    Set<String> kinds = r.objects().stream().map(HasMetadata::getKind).collect(Collectors.toSet());
    assertThat(kinds)
        .contains(
            "Deployment",
            "Service",
            "ConfigMap",
            "ServiceAccount",
            "PodDisruptionBudget",
            "HorizontalPodAutoscaler",
            "NetworkPolicy",
            "ServiceMonitor",
            "PrometheusRule");
    assertThat(r.objects())
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getNamespace())
                    .as("%s %s has the overlay's namespace", o.getKind(), o.getMetadata().getName())
                    .isEqualTo(
                        target.contains("+") ? "order-gate-production" : "order-gate-" + target));
  }

  @Test
  void theStrictParserRefusesFieldsTheKubernetesApiDoesNotKnow() {
    String misspeltProbe =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
                - name: x
                  image: x
                  readinesProbe: {httpGet: {path: /ready, port: 8090}}
        """;
    assertThatThrownBy(() -> StrictModel.parse(misspeltProbe))
        .hasMessageContaining("readinesProbe");
    String wrongLevel =
        """
        apiVersion: v1
        kind: Service
        metadata: {name: x}
        spec:
          ports: [{port: 80}]
          replicas: 3
        """;
    assertThatThrownBy(() -> StrictModel.parse(wrongLevel)).hasMessageContaining("replicas");
    assertThatThrownBy(
            () ->
                StrictModel.parse(
                    "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: x}\n"))
        .hasMessageContaining("apps/v1");
  }

  // --- the manifests fit the gateway
  // ----------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("targets")
  void theGatewayAcceptsEverySettingThePodGivesIt(String target) {
    Rendered r = render(target);
    GatewayConfig config = configOf(r);
    assertThat(config.environment()).isEqualTo(r.environment());
    assertThat(config.unleash().fileBacked())
        .as("production gateways read a real Unleash (or Edge)")
        .isFalse();
    assertThat(r.secretVariables())
        .as("secrets come from a Secret, never from the ConfigMap")
        .contains(DatabaseSettings.URL, UnleashSettings.API_TOKEN, GatewayConfig.OPS_TOKEN);
    assertThat(r.all(ConfigMap.class))
        .allSatisfy(
            cm ->
                assertThat(cm.getData().keySet())
                    .doesNotContain(
                        DatabaseSettings.URL,
                        UnleashSettings.API_TOKEN,
                        GatewayConfig.OPS_TOKEN,
                        AdminSettings.ADMIN_TOKEN));
  }

  @ParameterizedTest
  @MethodSource("targets")
  void everyVariableThePodSetsIsOneTheGatewayReads(String target) {
    Rendered r = render(target);
    Set<String> read = GatewayVariables.read();
    assertThat(read)
        .as("the scan of the config package found the gateway's variables")
        .contains(
            GatewayConfig.ENVIRONMENT,
            DatabaseSettings.URL,
            UnleashSettings.URL,
            "ORDERGATE_LOG_LEVEL");
    Set<String> set =
        r.gatewayEnv().keySet().stream()
            .filter(v -> !v.equals(Rendered.JVM_OPTIONS))
            .collect(Collectors.toSet());
    Set<String> unread =
        set.stream()
            .filter(v -> !read.contains(v))
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    assertThat(unread)
        .as(
            "%s: variables set in the pod or the image that the gateway never reads (%s): a typo, or a setting "
                + "that no longer exists",
            target, GatewayVariables.WHERE)
        .isEmpty();
    assertThat(set)
        .as("the Unleash admin credentials belong to operators, not to every gateway pod")
        .doesNotContain(AdminSettings.ADMIN_TOKEN, AdminSettings.ADMIN_URL);
  }

  @ParameterizedTest
  @MethodSource("targets")
  void containerPortsAreTheGatewaysPortsAndTheServicesAndProbesUseThem(String target) {
    Rendered r = render(target);
    GatewayConfig defaults = defaults();
    GatewayConfig config = configOf(r);
    IntOrString http = new IntOrString("http");
    IntOrString ops = new IntOrString("ops");
    assertThat(r.containerPort(http))
        .as(
            "%s: container port 'http' is the gateway's traffic port (default and as configured)",
            target)
        .isEqualTo(defaults.trafficPort())
        .isEqualTo(config.trafficPort());
    assertThat(r.containerPort(ops))
        .as(
            "%s: container port 'ops' is the gateway's ops port (default and as configured)",
            target)
        .isEqualTo(defaults.opsPort())
        .isEqualTo(config.opsPort());

    assertThat(targetPorts(r, r.service("order-gate"))).containsExactly(config.trafficPort());
    assertThat(targetPorts(r, r.service("order-gate-ops"))).containsExactly(config.opsPort());

    Container c = r.gatewayContainer();
    for (Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
      assertThat(probe).as("startup, readiness and liveness probes are all set").isNotNull();
      assertThat(r.containerPort(probe.getHttpGet().getPort()))
          .as("probes go to the ops port")
          .isEqualTo(config.opsPort());
    }
    // Fast check against the ops port's routes as written; KubernetesProbesIT asks a running
    // gateway.
    Set<String> opsRoutes = opsGetRoutes();
    for (Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
      assertThat(probe.getHttpGet().getPath())
          .as("a probe path the ops port serves without a token (%s)", opsRoutes)
          .isIn(opsRoutes)
          .doesNotStartWith("/ops/");
    }
    assertThat(c.getLivenessProbe().getHttpGet().getPath())
        .as("liveness must not follow readiness: a database outage would restart every pod")
        .isNotEqualTo(c.getReadinessProbe().getHttpGet().getPath());
  }

  @Test
  void eachOverlayGuardsItsOwnEnvironmentAndOrderSystem() {
    List<Rendered> all = overlays().map(KubernetesManifestsTest::render).toList();
    assertThat(all).extracting(Rendered::label).contains("staging", "production");
    for (Rendered r : all) {
      assertThat(configOf(r).environment())
          .as("%s sets ORDERGATE_ENVIRONMENT to its own name", r.label())
          .isEqualTo(r.label());
    }
    assertThat(all)
        .extracting(r -> configOf(r).backendUrl())
        .as("no two environments share an order system")
        .doesNotHaveDuplicates();
    assertThat(all)
        .extracting(r -> r.gateway().getMetadata().getNamespace())
        .doesNotHaveDuplicates();
    // The base must not choose: an overlay that forgets ORDERGATE_ENVIRONMENT then fails to start
    // (and this test).
    assertThat(Kustomize.render(K8S.resolve("base"))).doesNotContain(GatewayConfig.ENVIRONMENT);
  }

  // --- the pod is a careful one
  // ---------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("targets")
  void everyContainerHasResourcesAndARestrictedSecurityContext(String target) {
    Rendered r = render(target);
    for (Deployment d : r.all(Deployment.class)) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      String name = d.getMetadata().getName();
      assertThat(pod.getAutomountServiceAccountToken())
          .as("%s: no API token in the pod", name)
          .isFalse();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("%s: runAsNonRoot", name).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      for (Container c : pod.getContainers()) {
        var limits = c.getResources().getLimits();
        var requests = c.getResources().getRequests();
        assertThat(requests).as("%s requests", c.getName()).containsKeys("cpu", "memory");
        assertThat(limits).as("%s limits", c.getName()).containsKeys("cpu", "memory");
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
      }
    }
    var gateway = r.gatewayContainer().getResources();
    assertThat(gateway.getRequests().get("memory"))
        .as(
            "the JVM sizes its heap from the limit; requesting less invites "
                + "eviction under memory pressure")
        .isEqualTo(gateway.getLimits().get("memory"));
  }

  @ParameterizedTest
  @MethodSource("targets")
  void theGatewayCanWriteTheFilesItNeedsOnAReadOnlyRoot(String target) {
    Rendered r = render(target);
    GatewayConfig config = configOf(r);
    List<String> mounts =
        r.gatewayContainer().getVolumeMounts().stream().map(m -> m.getMountPath()).toList();
    assertThat(mounts)
        .as("java.io.tmpdir, where Netty unpacks its native transport")
        .contains("/tmp");
    assertThat(mounts)
        .as("the Unleash backup file %s is on a writable volume", config.unleash().backupFile())
        .contains(config.unleash().backupFile().getParent().toString());
    String spool = config.audit().spoolDir().toString();
    var spoolMount =
        r.gatewayContainer().getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(spool))
            .findFirst();
    assertThat(spoolMount)
        .as("the audit spool %s is a volume of its own (it outlives a container restart)", spool)
        .isPresent();
    var volume =
        r.gateway().getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(spoolMount.get().getName()))
            .findFirst()
            .orElseThrow();
    if (volume.getEmptyDir() != null && volume.getEmptyDir().getSizeLimit() != null) {
      assertThat(volume.getEmptyDir().getSizeLimit().getNumericalAmount().longValue())
          .as("the spool volume holds ORDERGATE_AUDIT_SPOOL_MAX_BYTES and a segment more")
          .isGreaterThan(config.audit().spoolMaxBytes() + (64L << 20));
    }
  }

  @ParameterizedTest
  @MethodSource("targets")
  void aStopFitsInTheGracePeriodAndRolloutsAndDrainsKeepCapacity(String target) {
    Rendered r = render(target);
    Deployment d = r.gateway();
    Container c = r.gatewayContainer();
    List<String> preStop = c.getLifecycle().getPreStop().getExec().getCommand();
    assertThat(preStop)
        .as("preStop pauses so that endpoints are withdrawn before the drain")
        .hasSize(2)
        .startsWith("sleep");
    Duration pause = Duration.ofSeconds(Long.parseLong(preStop.get(1)));
    assertThat(pause).isPositive();
    Duration needed = pause.plus(Gateway.longestStop(configOf(r)));
    assertThat(
            Duration.ofSeconds(
                d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()))
        .as(
            "terminationGracePeriodSeconds covers preStop + the gateway's longest stop (%s s)",
            needed.toSeconds())
        .isGreaterThan(needed);

    var rolling = d.getSpec().getStrategy().getRollingUpdate();
    assertThat(rolling.getMaxUnavailable().getIntVal())
        .as("a rollout never goes below the desired count")
        .isZero();
    assertThat(rolling.getMaxSurge().getIntVal()).isPositive();

    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, "order-gate");
    assertThat(selects(pdb.getSpec().getSelector(), podLabels))
        .as("the PDB covers the gateway pods")
        .isTrue();
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);

    HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, "order-gate");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(d.getMetadata().getName());
    assertThat(hpa.getSpec().getMinReplicas())
        .as("the autoscaler starts where the Deployment does")
        .isEqualTo(d.getSpec().getReplicas())
        .isLessThan(hpa.getSpec().getMaxReplicas());
    assertThat(d.getSpec().getReplicas())
        .as("with maxUnavailable 1, a drain keeps at least one gateway")
        .isGreaterThanOrEqualTo(2);
    if (r.environment().equals("production")) {
      assertThat(d.getSpec().getReplicas()).isGreaterThanOrEqualTo(3);
    }

    var spread = d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
    assertThat(spread)
        .extracting(t -> t.getTopologyKey())
        .contains("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    assertThat(spread)
        .allSatisfy(t -> assertThat(selects(t.getLabelSelector(), podLabels)).isTrue());
  }

  @ParameterizedTest
  @MethodSource("targets")
  void theNetworkPolicyLetsOrdersInMonitoringToTheOpsPortAndTheGatewayOutOnlyToItsDependencies(
      String target) {
    Rendered r = render(target);
    GatewayConfig config = configOf(r);
    NetworkPolicy policy = r.one(NetworkPolicy.class, "order-gate");
    Map<String, String> podLabels = r.gateway().getSpec().getTemplate().getMetadata().getLabels();
    assertThat(selects(policy.getSpec().getPodSelector(), podLabels)).isTrue();
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");

    List<NetworkPolicyIngressRule> ingress = policy.getSpec().getIngress();
    assertThat(ingress)
        .allSatisfy(
            rule -> {
              assertThat(rule.getPorts()).as("every ingress rule names its ports").isNotEmpty();
              assertThat(rule.getFrom()).as("every ingress rule names its sources").isNotEmpty();
            });
    assertThat(ingress)
        .as("orders can come in")
        .anySatisfy(rule -> assertThat(ports(r, rule.getPorts())).contains(config.trafficPort()));
    for (NetworkPolicyIngressRule rule : ingress) {
      if (ports(r, rule.getPorts()).contains(config.opsPort())) {
        assertThat(rule.getFrom())
            .as("the ops port is open only to the monitoring and ops namespaces")
            .allSatisfy(
                peer -> {
                  assertThat(peer.getIpBlock()).isNull();
                  assertThat(peer.getPodSelector()).isNull();
                  assertThat(namespaceNames(peer)).isNotEmpty().isSubsetOf("monitoring", "ops");
                });
        assertThat(ports(r, rule.getPorts()))
            .as("monitoring gets no access to the traffic port")
            .doesNotContain(config.trafficPort());
      }
    }

    List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
    assertThat(egress)
        .allSatisfy(
            rule -> assertThat(rule.getTo()).as("no egress rule open to everywhere").isNotEmpty());
    assertThat(egress)
        .as("DNS")
        .anySatisfy(rule -> assertThat(ports(r, rule.getPorts())).contains(53));
    assertThat(egress)
        .as("PostgreSQL")
        .anySatisfy(rule -> assertThat(ports(r, rule.getPorts())).contains(5432));
    assertReachable(r, egress, config.backendUrl(), "the order system (ORDERGATE_BACKEND_URL)");
    assertReachable(r, egress, config.unleash().url().orElseThrow(), "Unleash (UNLEASH_URL)");
  }

  @ParameterizedTest
  @MethodSource("targets")
  void prometheusGetsTheAlertRulesThatPromtoolChecks(String target) {
    Rendered r = render(target);
    List<GenericKubernetesResource> rules = r.prometheusRules();
    assertThat(rules).hasSize(1);
    GenericKubernetesResource rule = rules.get(0);
    assertThat(rule.getApiVersion()).isEqualTo(StrictModel.SERVICE_MONITOR_API);
    Map<String, Object> spec = rule.get("spec");
    assertThat(spec.keySet()).containsExactly("groups");
    assertThat(Monitoring.sameYaml(spec.get("groups"), Monitoring.ruleFile().get("groups")))
        .as(
            "k8s/base/prometheusrule.yaml spec.groups is a copy of %s (the file promtool tests);"
                + " change both",
            Monitoring.RULES)
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("targets")
  void prometheusScrapesTheOpsServiceMetrics(String target) {
    Rendered r = render(target);
    List<GenericKubernetesResource> monitors = r.serviceMonitors();
    assertThat(monitors).hasSize(1);
    GenericKubernetesResource monitor = monitors.get(0);
    assertThat(monitor.getApiVersion()).isEqualTo(StrictModel.SERVICE_MONITOR_API);
    // No fabric8 model for this CRD here: a light structural check of the fields it may use.
    Map<String, Object> spec = monitor.get("spec");
    assertThat(spec.keySet())
        .isSubsetOf(
            "selector",
            "endpoints",
            "namespaceSelector",
            "jobLabel",
            "targetLabels",
            "podTargetLabels");
    Service ops = r.service("order-gate-ops");
    @SuppressWarnings("unchecked")
    Map<String, String> matchLabels =
        (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(ops.getMetadata().getLabels())
        .as("the ServiceMonitor selects the ops Service")
        .containsAllEntriesOf(matchLabels);
    assertThat(r.service("order-gate").getMetadata().getLabels())
        .as("and not the traffic Service")
        .doesNotContainEntry(
            "app.kubernetes.io/component", matchLabels.get("app.kubernetes.io/component"));
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints)
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.keySet())
                  .isSubsetOf(
                      "port",
                      "path",
                      "interval",
                      "scrapeTimeout",
                      "scheme",
                      "honorLabels",
                      "relabelings",
                      "metricRelabelings");
              assertThat(ops.getSpec().getPorts())
                  .extracting(ServicePort::getName)
                  .contains((String) e.get("port"));
              assertThat(e.get("path"))
                  .as("served by the ops port: checked live in KubernetesProbesIT")
                  .isEqualTo("/metrics");
            });
  }

  // --- helpers
  // ------------------------------------------------------------------------------------

  /** The GET routes OpsVerticle registers: {@code router.get("/path")}. */
  static Set<String> opsGetRoutes() {
    try {
      String source =
          Files.readString(
              Path.of("src", "main", "java", "io", "ordergate", "ops", "OpsVerticle.java"));
      var m = java.util.regex.Pattern.compile("router\\.get\\(\"([^\"]+)\"\\)").matcher(source);
      Set<String> routes = new java.util.TreeSet<>();
      while (m.find()) {
        routes.add(m.group(1));
      }
      assertThat(routes).as("routes found in OpsVerticle").isNotEmpty();
      return routes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The container ports a Service sends to (its targetPorts, resolved against the gateway
   * container).
   */
  private static List<Integer> targetPorts(Rendered r, Service service) {
    Map<String, String> podLabels = r.gateway().getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels)
        .as("Service %s selects the gateway pods", service.getMetadata().getName())
        .containsAllEntriesOf(service.getSpec().getSelector());
    return service.getSpec().getPorts().stream()
        .map(p -> r.containerPort(p.getTargetPort()))
        .toList();
  }

  private static List<Integer> ports(Rendered r, List<NetworkPolicyPort> ports) {
    return ports.stream()
        .map(
            p ->
                p.getPort() == null
                    ? -1
                    : p.getPort().getIntVal() != null
                        ? p.getPort().getIntVal()
                        : r.containerPort(p.getPort()))
        .toList();
  }

  private static boolean selects(LabelSelector selector, Map<String, String> labels) {
    assertThat(selector.getMatchExpressions())
        .as("only matchLabels selectors are checked here")
        .isNullOrEmpty();
    return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
  }

  /** The namespace names a peer's namespaceSelector admits, by kubernetes.io/metadata.name. */
  private static List<String> namespaceNames(NetworkPolicyPeer peer) {
    LabelSelector ns = peer.getNamespaceSelector();
    if (ns == null) {
      return List.of();
    }
    String byName =
        ns.getMatchLabels() == null ? null : ns.getMatchLabels().get("kubernetes.io/metadata.name");
    if (byName != null) {
      return List.of(byName);
    }
    return ns.getMatchExpressions().stream()
        .filter(
            e -> e.getKey().equals("kubernetes.io/metadata.name") && e.getOperator().equals("In"))
        .flatMap(e -> e.getValues().stream())
        .toList();
  }

  /**
   * An egress rule lets the gateway reach {@code url}: a cluster Service in another namespace
   * ({@code name.namespace.svc…}) by that namespace, or one rendered here by its pods and target
   * port.
   */
  private static void assertReachable(
      Rendered r, List<NetworkPolicyEgressRule> egress, URI url, String what) {
    String[] host = url.getHost().split("\\.");
    int port = url.getPort() != -1 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
    if (host.length == 1) {
      Service svc = r.service(host[0]);
      ServicePort sp =
          svc.getSpec().getPorts().stream()
              .filter(p -> p.getPort() == port)
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError(what + ": Service " + host[0] + " has no port " + port));
      Deployment backing =
          r.all(Deployment.class).stream()
              .filter(
                  d ->
                      d.getSpec()
                          .getTemplate()
                          .getMetadata()
                          .getLabels()
                          .entrySet()
                          .containsAll(svc.getSpec().getSelector().entrySet()))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError(what + ": no Deployment behind Service " + host[0]));
      int podPort =
          sp.getTargetPort().getIntVal() != null
              ? sp.getTargetPort().getIntVal()
              : backing.getSpec().getTemplate().getSpec().getContainers().stream()
                  .flatMap(c -> c.getPorts().stream())
                  .filter(p -> sp.getTargetPort().getStrVal().equals(p.getName()))
                  .findFirst()
                  .orElseThrow()
                  .getContainerPort();
      Map<String, String> labels = backing.getSpec().getTemplate().getMetadata().getLabels();
      assertThat(egress)
          .as("%s: egress to the pods of Service %s on port %s", what, host[0], podPort)
          .anySatisfy(
              rule -> {
                assertThat(rule.getPorts())
                    .extracting(p -> p.getPort().getIntVal())
                    .contains(podPort);
                assertThat(rule.getTo())
                    .anySatisfy(
                        peer -> {
                          assertThat(peer.getNamespaceSelector()).isNull();
                          assertThat(selects(peer.getPodSelector(), labels)).isTrue();
                        });
              });
    } else if (host.length >= 3 && host[2].equals("svc")) {
      String namespace = host[1];
      assertThat(egress)
          .as("%s: egress to namespace %s on port %s", what, namespace, port)
          .anySatisfy(
              rule -> {
                assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).contains(port);
                assertThat(rule.getTo())
                    .anySatisfy(peer -> assertThat(namespaceNames(peer)).contains(namespace));
              });
    } else {
      fail(
          what
              + ": "
              + url
              + " is neither a Service here nor name.namespace.svc; extend this check for it");
    }
  }
}
