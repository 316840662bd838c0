# syntax=docker/dockerfile:1
# The kube-devops image: the CLI and every component (operator, watch engine, webhook, sync,
# batch auditor) in one image, run as UID/GID 1000, on a read-only root filesystem.
#
#   docker build -t kube-devops .          (or: podman build -t kube-devops .)
#   docker run --rm --read-only --tmpfs /tmp -v "$PWD/examples:/work/examples:ro" \
#     kube-devops audit examples/
#
# Without a container registry, scripts/image.sh makes both base images from Debian's packages
# and passes them as BUILD_IMAGE and RUNTIME_IMAGE (docs/image.md).

# A JDK 17 with a POSIX shell: the Maven Wrapper fetches Maven itself.
ARG BUILD_IMAGE=eclipse-temurin:17-jdk
# A JDK 17 runtime with a POSIX shell, coreutils and sed (the launcher's needs) and the
# useradd/userdel of Debian's passwd package.
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
# The commit and its time, for `kube-devops version`: the build context holds no .git.
ARG REVISION=
ARG CREATED=
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY crds/ crds/
COPY policies/ policies/
COPY src/main/ src/main/
# Maven's local repository (and the Maven the wrapper fetches) is a cache mount: kept between
# builds, never in a layer.
RUN --mount=type=cache,id=kube-devops-m2,target=/root/.m2 \
    set -eu; \
    if [ -n "$REVISION" ]; then \
      set -- -Dmaven.gitcommitid.skip=true "-Dgit.commit.id.abbrev=$(printf %.10s "$REVISION")" \
        "-Dgit.commit.time=${CREATED:-unknown}"; \
    fi; \
    ./mvnw -B -DskipTests -Dmaven.test.skip=true "$@" package; \
    cp target/kube-devops.jar /kube-devops.jar; \
    mkdir -p /licences; \
    cd /licences && jar xf /kube-devops.jar META-INF/THIRD-PARTY.txt META-INF/THIRD-PARTY-EMBEDDED.txt \
      META-INF/NOTICE META-INF/licenses

FROM ${RUNTIME_IMAGE}
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=
ARG CREATED=
ARG SOURCE=
# The project's own licence; it names none yet (SPDX's word for "not stated").
ARG LICENSES=NOASSERTION
LABEL org.opencontainers.image.title="kube-devops" \
      org.opencontainers.image.description="Kubernetes workload governance: offline audit, GitOps policy sync, batch auditor, operator and admission webhook" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="${LICENSES}"
# UID and GID 1000 belong to kube-devops: a base that already has them (Ubuntu's "ubuntu" in
# eclipse-temurin) gives them up. Its home holds nothing: the root filesystem is read-only.
RUN set -eu; \
    user=$(getent passwd 1000 | cut -d: -f1) || true; \
    if [ -n "$user" ]; then userdel "$user"; fi; \
    group=$(getent group 1000 | cut -d: -f1) || true; \
    if [ -n "$group" ]; then groupdel "$group"; fi; \
    groupadd --gid 1000 kube-devops; \
    useradd --uid 1000 --gid 1000 --home-dir /home/kube-devops --create-home \
      --shell /usr/sbin/nologin kube-devops; \
    mkdir -p /work
# The launcher is the one place that chooses JVM options, as outside the image.
COPY bin/kube-devops /opt/kube-devops/bin/kube-devops
COPY --from=build /kube-devops.jar /opt/kube-devops/kube-devops.jar
COPY --from=build /licences/META-INF/ /usr/share/doc/kube-devops/
RUN ln -s /opt/kube-devops/bin/kube-devops /usr/local/bin/kube-devops
# -XX:-UsePerfData: no hsperfdata file in /tmp, which a read-only root may not have;
# java.io.tmpdir stays /tmp (mount a tmpfs or emptyDir there for Helm charts' native library).
ENV KUBE_DEVOPS_JAR=/opt/kube-devops/kube-devops.jar \
    JAVA_OPTS="-XX:-UsePerfData"
# Application class data sharing: an audit of examples/ records the classes it loads in
# kube-devops.jsa beside the jar, which the launcher then maps at every start (faster start-up;
# read-only, so a read-only root does not matter). Made here, on the runtime image's own JDK.
RUN --mount=type=bind,source=examples,target=/tmp/examples \
    JAVA_OPTS="-XX:ArchiveClassesAtExit=/opt/kube-devops/kube-devops.jsa" \
      kube-devops audit /tmp/examples >/dev/null 2>&1; \
    test -s /opt/kube-devops/kube-devops.jsa
USER 1000:1000
WORKDIR /work
ENTRYPOINT ["/opt/kube-devops/bin/kube-devops"]
CMD ["--help"]
