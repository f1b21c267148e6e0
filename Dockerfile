# Order Gate container image.
#   docker build -t order-gate:0.1.0 .
#   docker run --rm -p 8080:8080 -p 8090:8090 --env-file gateway.env --read-only \
#     --tmpfs /tmp:exec --tmpfs /var/lib/order-gate order-gate:0.1.0
# The image runs `serve`; other commands work too: `docker run --rm --env-file … order-gate:0.1.0 sources list`,
# and start faster through the launcher: `docker run --rm --env-file … --entrypoint /app/bin/order-gate order-gate:0.1.0 kill perftest`
# (in a running pod: `kubectl exec deploy/order-gate -- /app/bin/order-gate kill perftest --reason …`).

# --- build: the same Maven build as on a laptop, tests left to CI ---------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first, so that a code change does not download the world again.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src/main ./src/main
# The bootstrap flags are packaged into the jar (see the <resources> in pom.xml).
COPY flags/bootstrap.json flags/order-gate-flags.json ./flags/
# Tests neither compiled nor run here: they need PostgreSQL, Node and kubectl, and CI runs them.
RUN mvn -B -q -Dmaven.test.skip=true package

# --- run: JRE only, no build tools, non-root ------------------------------------------------------
FROM eclipse-temurin:17-jre
# A fixed numeric uid/gid, so that Kubernetes can check runAsNonRoot without a passwd lookup.
RUN groupadd --system --gid 10001 ordergate \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin ordergate \
 && mkdir -p /app /var/lib/order-gate \
 && chown 10001:10001 /var/lib/order-gate
COPY --from=build /build/target/order-gate.jar /app/order-gate.jar
# The launcher for one-shot commands (docs/reference.md, "Command start-up"), and its class-data
# sharing archive, made here by a command that goes as far as it can without Unleash or PostgreSQL
# (both refused at port 9: it loads picocli's model, the HTTP client, logback, Netty, Vert.x and the
# PostgreSQL client, then fails, as expected). The archive matches this jar only; the root
# filesystem can stay read-only.
COPY scripts/order-gate /app/bin/order-gate
RUN chmod 0755 /app/bin/order-gate \
 && (UNLEASH_ADMIN_URL=http://127.0.0.1:9 UNLEASH_ADMIN_TOKEN=image-build \
     ORDERGATE_DATABASE_URL=postgresql://image:build@127.0.0.1:9/image \
     /app/bin/order-gate kill cds-training --reason image-build --wait 0s >/dev/null 2>&1 || true) \
 && test -s /app/order-gate.jsa && chmod 0644 /app/order-gate.jsa

# The root filesystem can be read-only; these two are the only places the gateway writes:
# /tmp for the JVM, the Vert.x file cache and three native libraries unpacked there at start (Netty's
# io_uring and epoll transports, the Unleash SDK's Yggdrasil engine), so it must allow exec;
# /var/lib/order-gate for the last flags received from Unleash (UNLEASH_BACKUP_FILE) and the audit
# spool (ORDERGATE_AUDIT_SPOOL_DIR, records not yet in PostgreSQL).
# (Checked with strace on the jar run as uid 10001: it writes nowhere else.)
VOLUME ["/tmp", "/var/lib/order-gate"]
ENV UNLEASH_BACKUP_FILE=/var/lib/order-gate/unleash-backup.json
ENV ORDERGATE_AUDIT_SPOOL_DIR=/var/lib/order-gate/audit-spool

# Heap from the container's memory limit, not the node's. G1 chosen explicitly: under 2 CPUs or
# 1792 MiB the JVM would silently pick the serial collector. A JVM that ran out of memory is broken:
# exit, and let Kubernetes restart it. JDK_JAVA_OPTIONS is read by the java launcher only, and a pod
# can override it.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8"

USER 10001:10001
WORKDIR /app
EXPOSE 8080 8090
# On SIGTERM the gateway drops readiness, drains in-flight requests (ORDERGATE_SHUTDOWN_TIMEOUT_MS),
# flushes the audit buffer and exits 0. Exec form: java is PID 1 and receives the signal itself.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/order-gate.jar"]
CMD ["serve"]
