package io.ordergate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a kustomization with {@code kubectl kustomize}, as an operator would. A missing kubectl
 * is a failure, not a skip: a suite that silently stops checking the manifests is worse than a red
 * one.
 */
final class Kustomize {
  /** Overrides the kubectl found on the PATH. */
  static final String KUBECTL_ENV = "KUBECTL";

  private Kustomize() {}

  static String render(Path kustomization) {
    Path kubectl = kubectl();
    try {
      // stderr to a file: reading one pipe to its end while the other fills up would hang.
      Path err = Files.createTempFile("kustomize", ".err");
      Process p =
          new ProcessBuilder(kubectl.toString(), "kustomize", kustomization.toString())
              .redirectError(err.toFile())
              .start();
      var out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(
            "'" + kubectl + " kustomize " + kustomization + "' failed:\n" + Files.readString(err));
      }
      Files.deleteIfExists(err);
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Path kubectl() {
    Optional<Path> explicit =
        Optional.ofNullable(System.getenv(KUBECTL_ENV)).filter(s -> !s.isBlank()).map(Path::of);
    Optional<Path> found =
        explicit.or(
            () ->
                Stream.of(
                        System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                    .filter(dir -> !dir.isBlank())
                    .map(dir -> Path.of(dir, "kubectl"))
                    .filter(Files::isExecutable)
                    .findFirst());
    return found
        .filter(Files::isExecutable)
        .orElseThrow(
            () ->
                new AssertionError(
                    "kubectl not found (PATH, or "
                        + KUBECTL_ENV
                        + "=/path/to/kubectl): the k8s/ manifests cannot be rendered and checked. "
                        + "Install kubectl 1.27+ (it bundles kustomize v5); .ci/run installs one when it is missing."));
  }

  /** Every overlay directory under {@code k8s/overlays}. */
  static List<Path> overlays(Path k8s) {
    try (Stream<Path> dirs = Files.list(k8s.resolve("overlays"))) {
      return dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
