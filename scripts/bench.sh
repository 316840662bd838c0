#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md, reproducible with one command:
#   scripts/bench.sh             # everything
#   scripts/bench.sh engine      # JMH engine throughput only (one core)
#   scripts/bench.sh cli         # end-to-end `kube-devops audit` of the corpus only
#   scripts/bench.sh validation  # schema validation of the corpus alone (CPU time, one thread)
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
if [[ "$what" != sync && "$what" != operator && "$what" != churn && "$what" != watch && ! -f "$corpus/cluster-objects.yaml" ]]; then
  java -cp "$cp" io.stochastic.devops.bench.BenchmarkCorpus "$corpus" 10000
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/ {print $2}') GiB; java $(java -version 2>&1 | head -1)"
if [[ "$what" != sync && "$what" != operator && "$what" != churn && "$what" != watch ]]; then
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
