#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md, reproducible with one command:
#   scripts/bench.sh             # everything
#   scripts/bench.sh engine      # JMH engine throughput only (one core)
#   scripts/bench.sh cli         # end-to-end `kube-devops audit` of the corpus only
#   scripts/bench.sh validation  # schema validation of the corpus alone (CPU time, one thread)
#   scripts/bench.sh peers       # `audit --bundle restricted` beside kube-score (PATH or
#                                # ~/go/bin) on the corpus, interleaved, 5 rounds: wall, CPU,
#                                # RSS, check results and the cost of one; BASELINE_JAR=old.jar
#                                # adds an older build of kube-devops to each round
#   scripts/bench.sh cluster     # `auditor run -A` and `analyze -A` over 10,000 pods in 100
#                                # namespaces on a test API server (-Xmx512m), 3 runs each
#   scripts/bench.sh sync        # GitOps sync of a 1,000-file policy repository on a test API
#                                # server: first sync, commit-to-applied latency, idle polls, memory
#   scripts/bench.sh operator    # `reconcile -A` over 10,000 pods in 100 namespaces + one of 1,000
#                                # pods: reconcile duration, memory, spec edit to status latency
#   scripts/bench.sh churn       # `reconcile -A` for 10 minutes (CHURN_SECONDS) while pods,
#                                # Deployments, restart counts, policies and namespaces change:
#                                # live heap after GC, RSS, reconciles and latency every 30 s
#   scripts/bench.sh watch       # `watch -A` over 10,000 pods in 100 namespaces: start, memory,
#                                # idle CPU (resyncs), a burst of 1,000 pod status writes
#   scripts/bench.sh webhook     # `webhook serve` over loopback TLS under vegeta (PATH or
#                                # ~/go/bin): latency at 1,000/s, saturation (-rate=0 with
#                                # WEBHOOK_SATURATION_WORKERS), /mutate at 1,000/s, 30 s each
#                                # (WEBHOOK_SECONDS), RSS over 5 minutes (WEBHOOK_SOAK_SECONDS)
# Builds the jar, generates the 10,000-workload corpus (deterministic) in target/bench-corpus,
# runs JMH pinned to one core (taskset), then times the CLI, JVM start included, 5 runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
what="${1:-all}"
corpus=target/bench-corpus

./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
# the modes that judge the generated corpus (the others make their own objects)
corpus_mode=true
case "$what" in sync | operator | churn | watch | webhook) corpus_mode=false ;; esac
if [[ "$corpus_mode" == true && ! -f "$corpus/cluster-objects.yaml" ]]; then
  java -cp "$cp" io.stochastic.devops.bench.BenchmarkCorpus "$corpus" 10000
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/ {print $2}') GiB; java $(java -version 2>&1 | head -1)"
if [[ "$corpus_mode" == true ]]; then
  echo "corpus: $(find "$corpus" -name '*.yaml' | wc -l) files, $(du -sh "$corpus" | cut -f1)"
fi

pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
if [[ "$what" == all || "$what" == engine ]]; then
  echo "== engine throughput, one thread on one core (JMH; ops/s = workloads/s)"
  "${pin[@]}" java -Dkube-devops.bench.corpus="$corpus" -cp "$cp" org.openjdk.jmh.Main \
    EngineBenchmark -rf json -rff target/jmh-engine.json ${JMH_ARGS:-}
fi
if [[ "$what" == all || "$what" == cli ]]; then
  echo "== kube-devops audit of the corpus, JVM start included (5 runs, all cores, interleaved;"
  echo "   schema validation on, and off with --no-validate for its cost)"
  for run in 1 2 3 4 5; do
    for variant in baseline restricted "restricted --no-validate"; do
      # shellcheck disable=SC2086 # the variant is a bundle and an optional flag
      /usr/bin/time -f "$variant run $run: %e s wall, %U s user, %M KB max RSS" \
        bin/kube-devops audit "$corpus" --bundle $variant -o json > /dev/null
    done
  done
fi
if [[ "$what" == all || "$what" == peers ]]; then
  KUBE_SCORE=$(command -v kube-score || echo "$HOME/go/bin/kube-score")
  [[ -x "$KUBE_SCORE" ]] || { echo "kube-score not found: go install" \
    "github.com/zegl/kube-score/cmd/kube-score@latest" >&2; exit 2; }
  # go install builds report "development"; the module version is in the binary's build info
  ks_version=$(go version -m "$KUBE_SCORE" 2>/dev/null | awk '$1 == "mod" { print $3 }')
  echo "== audit --bundle restricted beside kube-score ${ks_version:-$("$KUBE_SCORE" version)}"
  echo "   (interleaved, ${PEER_ROUNDS:-5} rounds, all cores, process start included;"
  echo "   load before: $(uptime | sed 's/.*load/load/'))"
  results=target/bench-peers
  mkdir -p "$results"
  # name, command writing its JSON report to stdout
  runners=("kube-devops|bin/kube-devops audit $corpus --bundle restricted -o json")
  [[ -n "${BASELINE_JAR:-}" ]] && runners+=("kube-devops@baseline-jar|env KUBE_DEVOPS_JAR=$BASELINE_JAR bin/kube-devops audit $corpus --bundle restricted -o json")
  runners+=("kube-score|$KUBE_SCORE score $(find "$corpus" -name '*.yaml' | sort | tr '\n' ' ') -o json")
  for run in $(seq "${PEER_ROUNDS:-5}"); do
    for runner in "${runners[@]}"; do
      name=${runner%%|*}
      # shellcheck disable=SC2086 # the command is words
      /usr/bin/time -f "%e %U %S %M" -o "$results/time" ${runner#*|} > "$results/$name.json" || true
      read -r wall user sys rss < <(tail -1 "$results/time")
      # check results: kube-devops's passed + failed; kube-score's checks that were not skipped
      checks=$(python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
if isinstance(report, dict):
    print(report["summary"]["passed"] + report["summary"]["failed"])
else:
    print(sum(1 for o in report for c in o["checks"] if not c.get("skipped")))' "$results/$name.json")
      awk -v n="$name" -v r="$run" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v c="$checks" \
        'BEGIN { printf "%-26s run %d: %6.2f s wall, %6.2f s CPU, %5d MB max RSS, %7d check results, %.2f us wall and %.2f us CPU per result\n", n, r, w, u + s, m / 1024, c, w * 1e6 / c, (u + s) * 1e6 / c }'
    done
  done
fi
if [[ "$what" == all || "$what" == validation ]]; then
  echo "== schema validation alone: CPU time of one thread over the corpus, 10 rounds"
  java -cp "$cp" io.stochastic.devops.bench.ValidationPhase "$corpus"
fi
if [[ "$what" == all || "$what" == cluster ]]; then
  echo "== auditor run -A and analyze -A, 10,000 pods in 100 namespaces on a test API server"
  java -Dkube-devops.test.kube-version="$(./mvnw -B -q help:evaluate -Dexpression=kube.version \
      -DforceStdout)" -cp "$cp" io.stochastic.devops.bench.ClusterBench 100 100 \
    target/bench-cluster '
      export JAVA_OPTS=-Xmx512m
      for run in 1 2 3; do
        /usr/bin/time -f "auditor run $run: %e s wall, %U s user, %M KB max RSS" \
          bin/kube-devops auditor run -A --cluster-name bench --write-results -o json > /dev/null
      done
      for run in 1 2 3; do
        /usr/bin/time -f "analyze $run: %e s wall, %U s user, %M KB max RSS" \
          bin/kube-devops analyze -A -o json > /dev/null
      done'
fi
if [[ "$what" == all || "$what" == sync ]]; then
  echo "== sync of a 1,000-file policy repository to 1,000 namespaces on a test API server"
  echo "   (bin/kube-devops sync; JAVA_OPTS=${JAVA_OPTS:-unset}; SYNC_ROUNDS commits, default 10)"
  java -Dkube-devops.test.kube-version="$(./mvnw -B -q help:evaluate -Dexpression=kube.version \
      -DforceStdout)" ${SYNC_BENCH_ARGS:-} -cp "$cp" io.stochastic.devops.bench.SyncBench 1000 \
    "${SYNC_ROUNDS:-10}" target/bench-sync
fi
if [[ "$what" == all || "$what" == operator ]]; then
  echo "== reconcile -A: 10,000 pods in 100 namespaces + 1,000 in one, a policy each, on a test"
  echo "   API server (bin/kube-devops reconcile; JAVA_OPTS=${JAVA_OPTS:-unset}; 20 spec edits)"
  echo "   load before: $(uptime)"
  java -Dkube-devops.test.kube-version="$(./mvnw -B -q help:evaluate -Dexpression=kube.version \
      -DforceStdout)" -cp "$cp" io.stochastic.devops.bench.OperatorBench 100 100 1000 \
    "${OPERATOR_EDITS:-20}" target/bench-operator
fi
if [[ "$what" == all || "$what" == churn ]]; then
  echo "== reconcile -A under churn for ${CHURN_SECONDS:-600} s: 10 static namespaces x 100 pods,"
  echo "   6 churning ones, a short-lived namespace a minute (JAVA_OPTS=${JAVA_OPTS:-unset})"
  echo "   load before: $(uptime)"
  java -Dkube-devops.test.kube-version="$(./mvnw -B -q help:evaluate -Dexpression=kube.version \
      -DforceStdout)" -cp "$cp" io.stochastic.devops.bench.ChurnBench "${CHURN_SECONDS:-600}" 30 \
    10 6 target/bench-churn
  echo "   load after: $(uptime)"
fi

if [[ "$what" == all || "$what" == watch ]]; then
  echo "== watch -A: 10,000 pods in 100 namespaces, a policy each, on a test API server"
  echo "   (bin/kube-devops watch; JAVA_OPTS=${JAVA_OPTS:-unset}; 60 s idle, 1,000 status writes)"
  echo "   load before: $(uptime)"
  java -Dkube-devops.test.kube-version="$(./mvnw -B -q help:evaluate -Dexpression=kube.version \
      -DforceStdout)" -cp "$cp" io.stochastic.devops.bench.WatchBench 100 100 \
    "${WATCH_IDLE_SECONDS:-60}" "${WATCH_WRITES:-1000}" target/bench-watch
fi

# The admission webhook benchmark (issue #13), run by ClusterBench inside a test API server
# (KUBECONFIG set): `webhook serve` needs a cluster for its policy informer, even though no
# review calls it.
webhook_bench() {
  set -euo pipefail
  local dir=target/bench-webhook kubectl
  kubectl=$(ls -d "${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"/k8s/*/kubectl | tail -1)
  rm -rf "$dir/certs" && mkdir -p "$dir"
  bin/kube-devops webhook cert-generate --service kube-devops-webhook -n kube-devops \
    --ip-address 127.0.0.1 --out "$dir/certs" > /dev/null
  # the review's namespace, its policy denying the review (the path that renders the most)
  "$kubectl" create namespace shop > /dev/null
  "$kubectl" apply -f src/test/resources/bench/webhook-policy.yaml > /dev/null
  # the GC log tells whether latency outliers are collections
  JAVA_OPTS="$WEBHOOK_JAVA_OPTS -Xlog:gc:file=$dir/gc.log" bin/kube-devops webhook serve \
    --cert "$dir/certs/tls.crt" --key "$dir/certs/tls.key" --bind-address 127.0.0.1 --port 0 \
    --metrics-port 0 --default-bundle baseline > "$dir/serve.log" 2>&1 &
  # the launcher execs java, so $! is the JVM whose RSS is sampled; global for the EXIT trap
  webhook_pid=$!
  local pid=$webhook_pid port="" metrics="" i
  trap 'kill "$webhook_pid" 2>/dev/null || true' EXIT
  for i in $(seq 1 600); do
    port=$(sed -n 's/.*on HTTPS port \([0-9]*\);.*/\1/p' "$dir/serve.log" | head -1)
    metrics=$(sed -n 's/.*\/metrics on port \([0-9]*\).*/\1/p' "$dir/serve.log" | head -1)
    [[ -n "$port" && -n "$metrics" ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/serve.log" >&2; return 1; }
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    echo "webhook serve did not start" >&2 && cat "$dir/serve.log" >&2 && return 1
  fi
  curl -sf "http://127.0.0.1:$metrics/readyz" > /dev/null
  echo "   webhook serve pid $pid, HTTPS 127.0.0.1:$port, metrics $metrics;" \
    "JAVA_OPTS=$WEBHOOK_JAVA_OPTS (after the launcher's options for resident components)"

  local review=src/test/resources/bench/webhook-review-deployment.json
  local ca="$dir/certs/ca.crt" url="https://127.0.0.1:$port"
  curl -sf --cacert "$ca" -H 'Content-Type: application/json' --data-binary "@$review" \
    "$url/validate" > "$dir/validate-answer.json"
  grep -q '"allowed":false' "$dir/validate-answer.json" \
    || { echo "the review was not denied: $(cat "$dir/validate-answer.json")" >&2; return 1; }
  curl -sf --cacert "$ca" -H 'Content-Type: application/json' --data-binary "@$review" \
    "$url/mutate" > "$dir/mutate-answer.json"
  grep -q '"patchType":"JSONPatch"' "$dir/mutate-answer.json" \
    || { echo "the review got no patch: $(cat "$dir/mutate-answer.json")" >&2; return 1; }
  for path in validate mutate; do
    printf 'POST %s/%s\nContent-Type: application/json\n@%s\n' "$url" "$path" "$review" \
      > "$dir/$path.targets"
  done

  # attack NAME PATH RATE SECONDS [WORKERS] [h2|h1]: vegeta over HTTP/2 (what the API server
  # speaks to a webhook that offers it) or HTTP/1.1 with keep-alive; the server's error and
  # fail-open counters are read around it, since a fail-open answer is a 200 that vegeta counts
  # as a success
  attack() {
    local name=$1 path=$2 rate=$3 seconds=$4 workers=${5:-10} proto=${6:-h2} before after cpu0 cpu1
    local -a pace=(-rate="$rate/s")
    [[ "$rate" == 0 ]] && pace=(-rate=0 -max-workers="$workers")
    before=$(failures)
    cpu0=$(jvm_cpu)
    /usr/bin/time -f "%U %S" -o "$dir/$name.vegeta-cpu" "$VEGETA" attack -http2="$([[ $proto == h2 ]] && echo true || echo false)" \
      -keepalive=true -max-body=0 -root-certs="$ca" -timeout=5s -workers="$workers" "${pace[@]}" \
      -duration="${seconds}s" -targets="$dir/$path.targets" > "$dir/$name.bin"
    cpu1=$(jvm_cpu)
    after=$(failures)
    "$VEGETA" report "$dir/$name.bin" > "$dir/$name.txt"
    # latency (ms) and whether the request failed, sorted for the percentiles (mawk: no asort)
    "$VEGETA" encode --to csv "$dir/$name.bin" \
      | awk -F, '{ print $3 / 1e6, ($2 != 200 || $6 != "") }' | sort -n | awk \
      -v name="$name" -v fails=$((after - before)) -v seconds="$seconds" \
      -v jvm=$((cpu1 - cpu0)) -v vcpu="$(cat "$dir/$name.vegeta-cpu")" '
      { n++; lat[n] = $1; errors += $2 }
      END {
        split(vcpu, v, " ")
        printf "| %s | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %d | %.2f | %.2f |\n",
          name, n, n / seconds, lat[int(n * 0.5) + 1], lat[int(n * 0.99) + 1],
          lat[int(n * 0.999) + 1], lat[n], errors, fails, jvm / 100 / seconds,
          (v[1] + v[2]) / seconds
      }' | tee -a "$dir/summary.md"
  }
  failures() {
    curl -sf "http://127.0.0.1:$metrics/metrics" \
      | awk '/^kube_devops_webhook_(errors|fail_opens)_total/ { s += $NF } END { printf "%d", s }'
  }
  jvm_cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }  # utime + stime, clock ticks

  {
    echo "| run | requests | req/s | p50 ms | p99 ms | p99.9 ms | max ms | vegeta errors |" \
      "server errors + fail-opens | JVM CPU (cores) | vegeta CPU (cores) |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  } > "$dir/summary.md"
  cat "$dir/summary.md"
  echo "   load with the API server up, before the first attack: $(uptime)" >&2
  attack warm-up validate 1000 "$WEBHOOK_WARMUP_SECONDS"
  attack validate-1000rps validate 1000 "$WEBHOOK_SECONDS"
  local workers
  for workers in $WEBHOOK_SATURATION_WORKERS; do
    attack "validate-max-$workers-workers" validate 0 "$WEBHOOK_SECONDS" "$workers"
  done
  attack mutate-1000rps mutate 1000 "$WEBHOOK_SECONDS"
  attack validate-http1-1000rps validate 1000 "$WEBHOOK_SECONDS" 10 h1
  attack validate-http1-max-8-workers validate 0 "$WEBHOOK_SECONDS" 8 h1

  if ((WEBHOOK_SOAK_SECONDS > 0)); then
    echo "   RSS over ${WEBHOOK_SOAK_SECONDS} s at 1,000 requests/s (VmRSS every 15 s):"
    (
      t=0
      while kill -0 "$pid" 2>/dev/null && ((t <= WEBHOOK_SOAK_SECONDS)); do
        echo "$t $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")"
        sleep 15
        t=$((t + 15))
      done
    ) > "$dir/rss.txt" &
    local sampler=$!
    attack soak-1000rps validate 1000 "$WEBHOOK_SOAK_SECONDS"
    wait "$sampler"
    # first, last, max and a least-squares slope of the samples
    awk '{ t[NR] = $1; r[NR] = $2 / 1024; printf "%s s %.1f MB; ", $1, $2 / 1024 }
      END {
        for (i = 1; i <= NR; i++) {
          st += t[i]; sr += r[i]; stt += t[i] * t[i]; str += t[i] * r[i]
          if (r[i] > max) max = r[i]
        }
        slope = (NR * str - st * sr) / (NR * stt - st * st) * 60
        printf "\n   RSS first %.1f MB, last %.1f MB, max %.1f MB, fitted slope %+.2f MB/min\n",
          r[1], r[NR], max, slope
      }' "$dir/rss.txt" | tee "$dir/rss-summary.txt"
  fi
  grep '^VmHWM' "/proc/$pid/status"
  echo "   server counters:"
  curl -sf "http://127.0.0.1:$metrics/metrics" \
    | grep -E '^kube_devops_webhook_(requests_|errors_|fail_opens_|request_duration_seconds_[sc])' \
    || true
  kill "$pid"
  wait "$pid" || true
  trap - EXIT
  echo "== summary (latency by vegeta, request sent to answer read; CPU in cores of 2)"
  cat "$dir/summary.md"
}

if [[ "$what" == all || "$what" == webhook ]]; then
  echo "== admission webhook: webhook serve over loopback TLS (HTTP/2; HTTP/1.1 keep-alive rows"
  echo "   marked), a Deployment"
  echo "   CREATE denied under baseline/enforce; vegeta on the same 2 cores as the server"
  VEGETA=$(command -v vegeta || echo "$HOME/go/bin/vegeta")
  if [[ ! -x "$VEGETA" ]]; then
    echo "vegeta not found: go install github.com/tsenart/vegeta/v12@v12.13.0" >&2 && exit 2
  fi
  # a vegeta built by go install reports no version of its own
  echo "   vegeta $(go version -m "$VEGETA" 2>/dev/null | awk '$1 == "mod" { print $3 }');" \
    "load before: $(uptime)"
  export VEGETA WEBHOOK_JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
  export WEBHOOK_WARMUP_SECONDS="${WEBHOOK_WARMUP_SECONDS:-20}"
  export WEBHOOK_SECONDS="${WEBHOOK_SECONDS:-30}"
  export WEBHOOK_SOAK_SECONDS="${WEBHOOK_SOAK_SECONDS:-300}"
  export WEBHOOK_SATURATION_WORKERS="${WEBHOOK_SATURATION_WORKERS:-4 8 16 32}"
  export -f webhook_bench
  java -Dkube-devops.test.kube-version="$(./mvnw -B -q help:evaluate -Dexpression=kube.version \
      -DforceStdout)" -cp "$cp" io.stochastic.devops.bench.ClusterBench 0 0 target/bench-webhook \
    webhook_bench
  echo "   load after: $(uptime)"
fi
