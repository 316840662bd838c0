#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kubectl and kube-controller-manager from Go modules into the
# directory fabric8 kube-api-test reads (~/.kubeapitest/k8s/<version>-linux-amd64/). The cluster
# tests need all four; kube-api-test can download the first three, but has no controller manager.
# Idempotent: exits at once when all four exist, and builds only the missing ones otherwise.
# Safe to run several times at once: one run builds under an exclusive lock
# (<version>-linux-amd64.lock beside the directory), the others wait and then find them complete.
#
#   scripts/kube-test-binaries.sh            # build the pinned release
#   K8S_VERSION=1.35.4 scripts/kube-test-binaries.sh
#   scripts/kube-test-binaries.sh --optional # without Go: say so and exit 0 (the build uses this,
#                                            # so that tests needing no API server still run)
#
# Needs: Go (the version the release's go.mod asks for, or newer), the Go module proxy and flock.
# Cold (empty Go module and build caches) it takes about 5 minutes on 2 cores; see docs/testing.md.
set -euo pipefail

optional=false
case "${1:-}" in
  --optional) optional=true ;;
  "") ;;
  *) echo "usage: $0 [--optional]" >&2; exit 2 ;;
esac

K8S_VERSION="${K8S_VERSION:-1.36.3}"
base_dir="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
dest="$base_dir/k8s/${K8S_VERSION}-linux-amd64"
# Not ending in -linux-amd64, so kube-api-test does not take the lock file for a version.
lock="$dest.lock"
binaries=(etcd kube-apiserver kubectl kube-controller-manager)

complete() {
  local name
  for name in "${binaries[@]}"; do
    [[ -x "$dest/$name" ]] || return 1
  done
}

if complete; then
  echo "kube-test-binaries: $dest already complete"
  exit 0
fi
if ! command -v go >/dev/null; then
  if $optional; then
    echo "kube-test-binaries: go is not on PATH, not building $dest; the cluster tests" \
      "will fail: kube-api-test can download etcd, kube-apiserver and kubectl, but no" \
      "kube-controller-manager" >&2
    exit 0
  fi
  echo "kube-test-binaries: go is not on PATH" >&2
  exit 2
fi
if ! command -v flock >/dev/null; then
  echo "kube-test-binaries: flock (util-linux) is not on PATH" >&2
  exit 2
fi

started=$SECONDS
mkdir -p "$dest"
# Two builds at once (two clones' Maven runs) would write the same .tmp files and work directory:
# one builds, the others wait here and then find the binaries complete.
exec 9>>"$lock"
if ! flock --nonblock 9; then
  echo "kube-test-binaries: waiting for the build holding $lock"
  if ! flock --wait 1800 9; then
    echo "kube-test-binaries: $lock still held after 30 minutes; is a build hanging?" >&2
    exit 1
  fi
  if complete; then
    echo "kube-test-binaries: $dest completed by the other build"
    exit 0
  fi
fi

# A work directory of this run's own: builds for another KUBE_API_TEST_DIR do not take the lock
# above, and must not rewrite this run's go.mod under it. The Go module and build caches are safe
# to share. go.sum is carried over from the last successful run.
work_root="${XDG_CACHE_HOME:-$HOME/.cache}/kube-devops/kube-test-binaries/$K8S_VERSION"
mkdir -p "$work_root"
work=$(mktemp -d "$work_root/work.XXXXXX")
partial=()
cleanup() {
  rm -rf "$work"
  if ((${#partial[@]})); then rm -f "${partial[@]}"; fi
}
trap cleanup EXIT
mkdir -p "$work/etcd"
if [[ -f "$work_root/go.sum" ]]; then cp "$work_root/go.sum" "$work/go.sum"; fi
cd "$work"

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging/...;
# a module that depends on it must pin each one to the release's matching v0.x.y instead.
cat > go.mod <<MOD
module kube-devops.local/kube-test-binaries

go 1.24
MOD
echo "kube-test-binaries: resolving k8s.io/kubernetes v$K8S_VERSION"
k8s_mod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
staging_version="v0.${K8S_VERSION#*.}"
{
  echo
  echo "require k8s.io/kubernetes v$K8S_VERSION"
  echo
  echo "replace ("
  sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => ./staging/src/.*#\t\1 => \1 '"$staging_version"'#p' "$k8s_mod"
  echo ")"
} >> go.mod

# etcd's own main is one call; the server module comes at the version the release depends on.
cat > etcd/main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
# A blank import keeps the commands' packages in the module graph for `go mod tidy`.
cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
echo "kube-test-binaries: downloading modules"
go mod tidy
cp go.sum "$work_root/go.sum.$$" && mv "$work_root/go.sum.$$" "$work_root/go.sum"

minor="${K8S_VERSION#*.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean"
done
export CGO_ENABLED=0
for target in etcd:./etcd kube-apiserver:k8s.io/kubernetes/cmd/kube-apiserver \
  kubectl:k8s.io/kubernetes/cmd/kubectl \
  kube-controller-manager:k8s.io/kubernetes/cmd/kube-controller-manager; do
  name="${target%%:*}"; pkg="${target#*:}"
  if [[ -x "$dest/$name" ]]; then continue; fi
  echo "kube-test-binaries: building $name"
  # Built beside its final name and renamed: kube-api-test never sees half a binary. The PID
  # keeps this file apart from an older copy of this script that builds without the lock.
  partial=("$dest/$name.$$.tmp")
  go build -trimpath -ldflags "$ldflags" -o "$dest/$name.$$.tmp" "$pkg"
  mv "$dest/$name.$$.tmp" "$dest/$name"
  partial=()
done
echo "kube-test-binaries: $dest ready in $((SECONDS - started)) s"
"$dest/kube-apiserver" --version
"$dest/kube-controller-manager" --version
