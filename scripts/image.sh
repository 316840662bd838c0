#!/usr/bin/env bash
# Builds the kube-devops container image from the Dockerfile WITHOUT a Docker daemon and without
# a container registry, then runs it as UID 1000 with a read-only root filesystem:
#
#   scripts/image.sh              # base images (cached), the image, the run checks
#   scripts/image.sh base         # only the two base images
#   scripts/image.sh build        # base images + the image
#   scripts/image.sh run          # only the run checks, on the image built last
#   scripts/image.sh measure      # all of the above, then cold and warm build times, the
#                                 # image's size and `version`'s start time inside it
#
# The Dockerfile's defaults name public base images (eclipse-temurin:17-jdk/-jre) that
# `docker build .` or `podman build .` pull from a registry. Where no container registry is
# reachable (this project's machines reach only package registries), this script makes the two
# base images from Debian's packages (debootstrap, then apt-get inside buildah) and passes them
# as the build arguments BUILD_IMAGE and RUNTIME_IMAGE. It is idempotent: base images are made
# once and reused (REBUILD_BASE=1 makes them again, e.g. for security updates), and buildah's
# layer cache makes a second build of an unchanged tree take seconds.
#
# Every step that cannot run on this machine is named, with why, as it fails and again at the
# end, and the rest still runs (podman falls back to buildah, see run_checks).
#
# Environment:
#   IMAGE            the image's name (default localhost/kube-devops:<project version>)
#   DEBIAN_SUITE     the Debian release of the base images (default bookworm)
#   DEBIAN_MIRROR    where debootstrap and apt-get fetch packages (default deb.debian.org)
#   REBUILD_BASE=1   make the base images again
#   M2_REUSE=0       do not lend the host's ~/.m2 to the build stage (Maven downloads all)
#   RUNNER=buildah   run the checks through buildah even where podman works
#   IMAGE_SOURCE     the org.opencontainers.image.source label (default: the origin remote's
#                    address when it is an https or ssh one)
# Needs root (debootstrap, buildah's root storage); installs buildah, podman and debootstrap
# with apt-get when they are missing. Uses buildah's vfs storage driver and chroot isolation,
# which need neither overlayfs, nor user namespaces, nor cgroups.
# Results (figures, logs) go to target/image/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

what="${1:-all}"
suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
image="${IMAGE:-localhost/kube-devops:$version}"
base_jre="localhost/kube-devops-base/jre:17-$suite"
base_jdk="localhost/kube-devops-base/jdk:17-$suite"
cache=/var/cache/kube-devops-image
results=target/image
export STORAGE_DRIVER="${STORAGE_DRIVER:-vfs}"
export BUILDAH_ISOLATION="${BUILDAH_ISOLATION:-chroot}"
mkdir -p "$results" "$cache"

say() { printf '\n==> %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
cannot=()
cannot_run() {
  local step=$1
  shift
  cannot+=("$step: $*")
  printf '    CANNOT RUN HERE: %s: %s\n' "$step" "$*" >&2
}
figure() {
  printf '%-48s %s\n' "$1" "$2" | tee -a "$results/figures.txt" >&2
}

require_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "scripts/image.sh: run it as root (debootstrap and buildah's root storage need it)" >&2
    exit 2
  fi
}

install_tools() {
  local missing=()
  command -v buildah >/dev/null || missing+=(buildah)
  command -v podman >/dev/null || missing+=(podman)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if ((${#missing[@]})); then
    say "installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  note "buildah $(buildah --version | awk '{print $3}'), podman $(podman --version | awk '{print $3}')," \
    "storage driver $STORAGE_DRIVER, isolation $BUILDAH_ISOLATION"
}

image_exists() { buildah inspect --type image "$1" >/dev/null 2>&1; }

# Runs a shell script in a working container; its output goes to a log shown on failure.
run_logged() {
  local c=$1 log=$2 script=$3
  if ! buildah run "$c" -- sh -ec "$script" >"$log" 2>&1; then
    tail -25 "$log" >&2
    buildah rm "$c" >/dev/null 2>&1 || true
    echo "scripts/image.sh: failed; the whole log is $log" >&2
    exit 1
  fi
}

# A minimal Debian (debootstrap's minbase: the essential packages and apt) with its security
# updates and openjdk-17-jre-headless; the JDK image on top of it. apt-get runs inside buildah
# (chroot isolation, the host's network). Each image is made only when missing.
build_base_images() {
  if [[ "${REBUILD_BASE:-0}" == 1 ]]; then
    buildah rmi "$base_jdk" "$base_jre" >/dev/null 2>&1 || true
  fi
  local started=$SECONDS c
  if image_exists "$base_jre"; then
    say "base image $base_jre exists (REBUILD_BASE=1 makes it again)"
  else
    local rootfs="$cache/rootfs-$suite"
    mkdir -p "$cache/debs"
    say "debootstrap --variant=minbase $suite into $rootfs (packages cached in $cache/debs)"
    rm -rf "$rootfs"
    debootstrap --variant=minbase --cache-dir="$cache/debs" "$suite" "$rootfs" "$mirror" \
      >"$cache/debootstrap.log" 2>&1 || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
    cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
    # No man pages, docs (copyrights excepted) or translations in the images.
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/01-kube-devops-image" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    c=$(buildah from scratch)
    buildah copy --quiet "$c" "$rootfs" / >/dev/null
    rm -rf "$rootfs"
    buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$c"
    say "base image $base_jre: $suite minbase + security updates + openjdk-17-jre-headless" \
      "(log: $cache/base-jre.log)"
    # update-alternatives links into /usr/share/man/man1 when a JDK is installed: it stays.
    run_logged "$c" "$cache/base-jre.log" '
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get upgrade -y -qq
      apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless
      apt-get clean
      rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log /var/cache/debconf/*-old
      find /usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
      find /usr/share/man /usr/share/info -mindepth 1 -not -type d -delete
      mkdir -p /usr/share/man/man1'
    buildah config --env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
      --label "org.opencontainers.image.title=kube-devops base JRE" \
      --label "org.opencontainers.image.description=Debian $suite minbase with openjdk-17-jre-headless, made by scripts/image.sh" \
      "$c"
    buildah commit --quiet --rm "$c" "$base_jre" >/dev/null
  fi
  if image_exists "$base_jdk"; then
    say "base image $base_jdk exists (REBUILD_BASE=1 makes it again)"
  else
    say "base image $base_jdk: $base_jre + openjdk-17-jdk-headless (log: $cache/base-jdk.log)"
    c=$(buildah from "$base_jre")
    run_logged "$c" "$cache/base-jdk.log" '
      export DEBIAN_FRONTEND=noninteractive
      mkdir -p /usr/share/man/man1
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless
      apt-get clean
      rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log'
    buildah config \
      --label "org.opencontainers.image.title=kube-devops base JDK" \
      --label "org.opencontainers.image.description=Debian $suite minbase with openjdk-17-jdk-headless, made by scripts/image.sh" \
      "$c"
    buildah commit --quiet --rm "$c" "$base_jdk" >/dev/null
  fi
  note "base images ready in $((SECONDS - started)) s"
}

# buildah build of the Dockerfile with the local base images. Arguments are added to buildah's
# (--no-cache, -v ...). The host's ~/.m2 stands in for the Dockerfile's Maven cache mount unless
# M2_REUSE=0 or an argument mounts another directory there.
build_image() {
  local revision created m2=()
  revision=$(git rev-parse HEAD 2>/dev/null || true)
  created=$(git log -1 --format=%cI 2>/dev/null || true)
  # The source label names the repository where it has an address others can reach.
  local source="${IMAGE_SOURCE:-}"
  if [[ -z "$source" ]]; then
    source=$(git config --get remote.origin.url 2>/dev/null || true)
    [[ "$source" =~ ^(https://|git@|ssh://) ]] || source=
  fi
  if [[ "${M2_REUSE:-1}" == 1 && " $* " != *":/root/.m2 "* ]]; then
    mkdir -p "$HOME/.m2"
    m2=(--volume "$HOME/.m2:/root/.m2")
  fi
  say "buildah build -t $image . (BUILD_IMAGE=$base_jdk RUNTIME_IMAGE=$base_jre${m2:+, ~/.m2 lent}${*:+, $*})"
  local started=$SECONDS
  buildah build --layers --force-rm --isolation "$BUILDAH_ISOLATION" \
    --build-arg "BUILD_IMAGE=$base_jdk" --build-arg "RUNTIME_IMAGE=$base_jre" \
    --build-arg "VERSION=$version" --build-arg "REVISION=$revision" \
    --build-arg "CREATED=$created" --build-arg "SOURCE=$source" \
    ${m2[@]+"${m2[@]}"} "$@" -t "$image" . >"$results/build.log" 2>&1 || {
      if [[ "${build_may_fail:-0}" == 1 ]]; then return 1; fi
      tail -30 "$results/build.log" >&2
      echo "scripts/image.sh: build failed; log: $results/build.log" >&2
      exit 1
    }
  last_build_seconds=$((SECONDS - started))
  note "built $image in $last_build_seconds s (log: $results/build.log)"
}

# The image's config as shell words: its user, working directory, entrypoint and environment.
image_config() {
  buildah inspect --type image "$image" | python3 -c '
import json, shlex, sys
c = json.load(sys.stdin)["OCIv1"]["config"]
print("img_user=" + shlex.quote(c.get("User", "")))
print("img_workdir=" + shlex.quote(c.get("WorkingDir", "") or "/"))
print("img_entrypoint=(" + " ".join(shlex.quote(a) for a in c.get("Entrypoint") or []) + ")")
print("img_env=(" + " ".join(shlex.quote(e) for e in c.get("Env") or []) + ")")'
}

# Runs the image as its config says (user, working directory, entrypoint, environment) with a
# read-only root filesystem, a tmpfs on /tmp and examples/ mounted read-only at /work/examples,
# when podman cannot: buildah mounts the image's filesystem, and a private mount namespace
# (unshare) binds it read-only and chroots into it as the image's user. With ENTRYPOINT=... the
# entrypoint is replaced, as podman's --entrypoint does.
extra_env=()
run_readonly() {
  local c mp rc=0
  eval "$(image_config)"
  c=$(buildah from --quiet --pull-never "$image")
  mp=$(buildah mount "$c")
  mkdir -p "$mp/work/examples"
  local entry=("${img_entrypoint[@]}")
  [[ -n "${ENTRYPOINT:-}" ]] && entry=("$ENTRYPOINT")
  unshare --mount --propagation private -- /bin/sh -ec '
    root=$1 user=$2 workdir=$3 examples=$4; shift 4
    mount --bind "$root" "$root"
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/tmp"
    mount --bind "$examples" "$root/work/examples"
    mount -o remount,bind,ro "$root/work/examples"
    mount -o remount,bind,ro "$root"
    exec chroot --userspec="$user" "$root" /usr/bin/env -i "$@"
  ' sh "$mp" "$img_user" "$img_workdir" "$PWD/examples" \
    "${img_env[@]}" ${extra_env[@]+"${extra_env[@]}"} /bin/sh -c 'cd "$0" && exec "$@"' "$img_workdir" "${entry[@]}" "$@" || rc=$?
  buildah umount "$c" >/dev/null
  buildah rm "$c" >/dev/null
  return $rc
}

# podman's options beyond --read-only and --user, chosen by pick_podman: none where podman's
# defaults work; elsewhere runc and resource limits the sandbox allows.
podman_opts=()
podman_run() {
  podman "${podman_global[@]}" run --rm --read-only --user 1000:1000 --network none \
    --pull never "${podman_opts[@]}" -v "$PWD/examples:/work/examples:ro" "$@"
}
podman_global=()

# podman as a user would run it first; where that fails, the runtime and limits that work in
# this sandbox; where that fails too, buildah (run_readonly). Sets runner.
pick_podman() {
  local out
  if [[ "${RUNNER:-}" == buildah ]]; then
    note "RUNNER=buildah: running the image through buildah (run_readonly), not podman"
    runner=buildah
    return
  fi
  if out=$(podman_run "$image" version 2>&1); then runner=podman; return; fi
  cannot_run "podman run (its defaults)" "$(tail -1 <<<"$out"): podman's default OCI runtime," \
    "crun, sets the container's RLIMIT_NOFILE to 1048576, above this sandbox's hard limit" \
    "($(ulimit -Hn)), which root cannot raise without CAP_SYS_RESOURCE; with limits under it," \
    "crun $(crun --version 2>/dev/null | awk 'NR==1{print $3}') refuses the sandbox's hybrid" \
    "cgroup v1/v2 hierarchy ('cgroups in hybrid mode not supported'), --cgroups=disabled" \
    "included"
  command -v runc >/dev/null || {
    note "installing runc from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends runc >/dev/null
  }
  podman_global=(--runtime runc)
  podman_opts=(--ulimit "nofile=1024:$(ulimit -Hn)" --ulimit nproc=32768:32768)
  if out=$(podman_run "$image" version 2>&1); then
    note "podman runs the image with --runtime runc --ulimit nofile=1024:$(ulimit -Hn)" \
      "--ulimit nproc=32768:32768 (runc handles the hybrid cgroups; the limits stay under the" \
      "sandbox's)"
    runner=podman
    return
  fi
  cannot_run "podman run --runtime runc" "$(tail -1 <<<"$out"); running the image through" \
    "buildah instead: its filesystem bound read-only in a private mount namespace, chroot as" \
    "the image's user (run_readonly)"
  runner=buildah
}

# The run checks: UID 1000, a read-only root, `version`, an audit of examples/ mounted read-only.
run_checks() {
  say "running $image: podman run --read-only --user 1000:1000 -v examples:/work/examples:ro"
  pick_podman
  note "runner: $runner"
  run() { if [[ $runner == podman ]]; then podman_run "$@"; else run_readonly "${@:2}"; fi; }
  run_sh() {
    if [[ $runner == podman ]]; then podman_run --entrypoint /bin/sh "$image" -c "$1"
    else ENTRYPOINT=/bin/sh run_readonly -c "$1"; fi
  }

  say "the container's user and root filesystem"
  run_sh 'echo "uid=$(id -u) gid=$(id -g) user=$(id -un) cwd=$PWD";
          if touch /opt/probe 2>/dev/null; then echo "root filesystem WRITABLE"; exit 1; fi
          echo "root filesystem read-only: touch /opt/probe fails"
          touch /tmp/probe && echo "/tmp writable (tmpfs)"
          ls /usr/share/doc/kube-devops/' | tee "$results/run-user.txt"
  grep -q '^uid=1000 gid=1000 ' "$results/run-user.txt"

  say "kube-devops version"
  run "$image" version | tee "$results/run-version.txt"

  say "kube-devops audit examples/ (exit 1 or 0: the gate, not an error; 2 would be)"
  local rc=0
  run "$image" audit examples/ >"$results/run-audit.txt" 2>"$results/run-audit.err" || rc=$?
  tail -2 "$results/run-audit.txt"
  sed 's/^/    stderr: /' "$results/run-audit.err" >&2
  note "exit code $rc"
  if ((rc > 1)); then echo "scripts/image.sh: the audit failed (exit $rc)" >&2; exit 1; fi
}

# Wall time of `kube-devops ARGS` inside the image, through the launcher, 10 runs; an
# environment assignment before the arguments (JAVA_OPTS=...) is passed to the container.
measure_start() {
  local env=()
  if [[ $1 == *=* ]]; then env=("$1"); shift; fi
  local loop="for i in 1 2 3 4 5 6 7 8 9 10; do s=\$(date +%s%N); kube-devops $* >/dev/null 2>&1;
              e=\$(date +%s%N); echo \$(( (e - s) / 1000000 )); done"
  local ms
  if [[ $runner == podman ]]; then
    ms=$(podman_run ${env[@]+-e "${env[@]}"} --entrypoint /bin/sh "$image" -c "$loop")
  else
    ms=$(extra_env=(${env[@]+"${env[@]}"}); ENTRYPOINT=/bin/sh run_readonly -c "$loop")
  fi
  echo "$ms" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms (min %d, max %d, %d runs)\n", a[int((NR+1)/2)], a[1], a[NR], NR}'
}

measure() {
  : >"$results/figures.txt"
  say "measuring (figures also in $results/figures.txt)"
  local empty
  empty=$(mktemp -d /tmp/kube-devops-image-m2.XXXXXX)
  if build_may_fail=1 build_image --no-cache --volume "$empty:/root/.m2"; then
    figure "build, cold (no layer cache, empty ~/.m2)" "$last_build_seconds s"
  else
    mv "$results/build.log" "$results/build-empty-m2.log"
    local why="the build failed, see $results/build-empty-m2.log"
    if grep -q 'PKIX path building failed' "$results/build-empty-m2.log"; then
      why="HTTPS from inside the build container to Maven Central (the Maven Wrapper's download"
      why+=" of Maven) fails certificate validation, 'PKIX path building failed': this"
      why+=" machine's traffic to the registries passes a TLS-intercepting proxy whose CA only"
      why+=" the host trusts, not the Debian base image; a build that lends the host's ~/.m2"
      why+=" downloads nothing and runs (log: $results/build-empty-m2.log)"
    fi
    cannot_run "build with an empty Maven repository (M2_REUSE=0)" "$why"
  fi
  rm -rf "$empty"
  build_image --no-cache
  figure "build, cold (no layer cache; host ~/.m2 lent)" "$last_build_seconds s"
  build_image
  figure "build, warm (layer cache, nothing changed)" "$last_build_seconds s"
  local size base_size
  size=$(buildah images --format '{{.Size}}' "$image" | head -1)
  base_size=$(buildah images --format '{{.Size}}' "$base_jre" | head -1)
  figure "image size (uncompressed)" "$size (base JRE image $base_size)"
  local archive
  archive=$(mktemp -u /tmp/kube-devops-image.XXXXXX.tar)
  buildah push --quiet "$image" "oci-archive:$archive" >/dev/null
  figure "image as a gzip-compressed OCI archive" "$(du -h "$archive" | cut -f1)"
  rm -f "$archive"
  local jdk_only="JAVA_OPTS=-XX:-UsePerfData -XX:SharedArchiveFile=/usr/lib/jvm/java-17-openjdk-amd64/lib/server/classes.jsa"
  figure "version in the image ($runner)" "$(measure_start version)"
  figure "version, without the application CDS archive" "$(measure_start "$jdk_only" version)"
  figure "audit examples/ in the image" "$(measure_start audit examples/)"
  figure "audit examples/, without the application CDS" "$(measure_start "$jdk_only" audit examples/)"
  figure "load average while measuring (2 cores)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

summary() {
  if ((${#cannot[@]})); then
    say "steps that could not run on this machine"
    for c in "${cannot[@]}"; do note "- $c"; done
  fi
}

require_root
install_tools
case "$what" in
  base) build_base_images ;;
  build) build_base_images; build_image ;;
  run) run_checks ;;
  all) build_base_images; build_image; run_checks ;;
  measure) build_base_images; build_image; run_checks; measure ;;
  *) echo "usage: scripts/image.sh [all|base|build|run|measure]" >&2; exit 2 ;;
esac
summary
