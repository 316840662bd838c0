#!/usr/bin/env sh
# pre-commit hook (.pre-commit-hooks.yaml): audits the manifest files pre-commit passes.
# pre-commit clones this repository without a built jar, so the first run builds it here with
# the Maven Wrapper (a JDK 17 or newer is needed; it takes a minute or two, once per hook
# version). KUBE_DEVOPS_JAR names a jar to use instead, and skips the build.
set -e
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
if [ -z "$KUBE_DEVOPS_JAR" ] && [ ! -f "$root/target/kube-devops.jar" ]; then
  echo "kube-devops: building the jar once in $root (./mvnw package)" >&2
  (cd "$root" && ./mvnw -B -q package -DskipTests >&2) || {
    echo "kube-devops: the build failed; it needs a JDK 17 or newer (JAVA_HOME or java on the PATH)" >&2
    exit 2
  }
fi
exec "$root/bin/kube-devops" audit "$@"
