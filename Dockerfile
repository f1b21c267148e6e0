# Order Gate container image.
#   docker build -t order-gate:0.1.0 .
#   docker run --rm -p 8080:8080 -p 8090:8090 --env-file gateway.env --read-only \
#     --tmpfs /tmp:exec --tmpfs /var/lib/order-gate order-gate:0.1.0
# The image runs `serve`; other commands work too: `docker run --rm --env-file … order-gate:0.1.0 sources list`.

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
# AppCDS (start to ready is a target): the classes a start loads, parsed and verified once here and
# mapped from /app/order-gate.jsa at every start (JDK_JAVA_OPTIONS below). The training start has
# nothing to connect to (port 9), so it loads configuration, Vert.x, Netty's transports, the
# PostgreSQL client and the Unleash SDK, fails at the database and exits 2; the JVM writes the
# archive at exit. The same JVM and jar path as at run time, or the JVM ignores the archive.
RUN ORDERGATE_ENVIRONMENT=production ORDERGATE_BACKEND_URL=http://127.0.0.1:9 \
    ORDERGATE_DATABASE_URL=postgresql://postgres@127.0.0.1:9/ordergate \
    ORDERGATE_OPS_TOKEN=cds-training-only-0123456789 UNLEASH_URL=http://127.0.0.1:9/api \
    UNLEASH_API_TOKEN=default:production.cds-training UNLEASH_BACKUP_FILE=/tmp/cds/unleash-backup.json \
    ORDERGATE_AUDIT_SPOOL_DIR=/tmp/cds/audit-spool \
    java -XX:+UseParallelGC -XX:ArchiveClassesAtExit=/app/order-gate.jsa -Xlog:cds=off \
      -jar /app/order-gate.jar serve >/dev/null 2>&1; \
    test -s /app/order-gate.jsa && chmod 444 /app/order-gate.jsa && rm -rf /tmp/cds /tmp/vertx-cache* /tmp/*.so

# The root filesystem can be read-only; these two are the only places the gateway writes:
# /tmp for the JVM, the Vert.x file cache and three native libraries unpacked there at start (Netty's
# io_uring and epoll transports, the Unleash SDK's Yggdrasil engine), so it must allow exec;
# /var/lib/order-gate for the last flags received from Unleash (UNLEASH_BACKUP_FILE) and the audit
# spool (ORDERGATE_AUDIT_SPOOL_DIR, records not yet in PostgreSQL).
# (Checked with strace on the jar run as uid 10001: it writes nowhere else.)
VOLUME ["/tmp", "/var/lib/order-gate"]
ENV UNLEASH_BACKUP_FILE=/var/lib/order-gate/unleash-backup.json
ENV ORDERGATE_AUDIT_SPOOL_DIR=/var/lib/order-gate/audit-spool

# The JVM settings docs/performance.md measured (docs/deploying.md explains each). ParallelGC, named
# explicitly (under 2 CPUs or 1792 MiB the JVM would silently pick the serial collector): no
# concurrent GC threads beside two event loops, less native memory than G1. Heap from the
# container's memory limit, not the node's: 60 % of 640 Mi is 384 MiB, and with direct memory (64m),
# code cache (64m), metaspace and thread stacks bounded the process stays under the limit.
# A JVM that ran out of memory is broken: exit, and let Kubernetes restart it. JDK_JAVA_OPTIONS is
# read by the java launcher only, and a pod can override it.
ENV JDK_JAVA_OPTIONS="-XX:+UseParallelGC -XX:InitialRAMPercentage=10 -XX:MaxRAMPercentage=60 -XX:MaxDirectMemorySize=64m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+PerfDisableSharedMem -XX:SharedArchiveFile=/app/order-gate.jsa -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8"

USER 10001:10001
WORKDIR /app
EXPOSE 8080 8090
# On SIGTERM the gateway drops readiness, drains in-flight requests (ORDERGATE_SHUTDOWN_TIMEOUT_MS),
# flushes the audit buffer and exits 0. Exec form: java is PID 1 and receives the signal itself.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/order-gate.jar"]
CMD ["serve"]
