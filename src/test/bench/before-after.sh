#!/usr/bin/env bash
# Runs one benchmark main against two builds of the hub in the same run, so that both meet the same machine state:
# BEFORE (a commit, e.g. main) and AFTER (default HEAD), each built from `git archive` in a directory of its own, then
# run in alternating JVMs, PAIRS times: before/after, after/before, ... (each JVM runs the benchmark in full).
#
#   src/test/bench/before-after.sh BEFORE PAIRS BENCHMARK_CLASS [-Dbench.x=y ...]
#   e.g. src/test/bench/before-after.sh main 4 io.claimshub.bench.SubmissionToAssignmentBenchmark -Dbench.rates=500,500,500
#
# AFTER=<commit> picks the other build; WORK=<dir> where the builds and reports go (default target/before-after).
# Each JVM's report is WORK/<benchmark>-<n>-<before|after>.txt; the figures per phase are printed as they come, and
# the medians per build at the end (submission to assignment: every measured 500/s phase; consumer: the summary rows).
set -euo pipefail

before_ref=$1
pairs=$2
main=$3
shift 3
repo=$(git rev-parse --show-toplevel)
work=${WORK:-$repo/target/before-after}
mkdir -p "$work"

# the build of a commit: its classes, test classes and test classpath, made once per commit
build() {
  local commit dir
  commit=$(git -C "$repo" rev-parse --short "$1")
  dir=$work/build-$commit
  if [ ! -f "$dir/cp.txt" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    git -C "$repo" archive "$commit" | tar -x -C "$dir"
    (cd "$dir" && mvn -B -q -o test-compile \
      && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test) >&2
  fi
  echo "$dir"
}

before_dir=$(build "$before_ref")
after_dir=$(build "${AFTER:-HEAD}")
name=${main##*.}
echo "before: $before_ref = $(basename "$before_dir"), after: ${AFTER:-HEAD} = $(basename "$after_dir"); $pairs pairs of $name $*"

run() { # label dir n [-D...]
  local label=$1 dir=$2 n=$3
  shift 3
  local report=$work/$name-$n-$label.txt
  (cd "$dir" && java -cp "target/test-classes:target/classes:$(cat cp.txt)" "$@" "$main" > "$report" 2>&1) \
    || { echo "$label run $n failed, see $report"; return 1; }
  echo "== $label run $n (ended $(date -u +%H:%M:%S) UTC)"
  grep -E '^ *rate [0-9]+/s|POST -> snapshot|cpu per claim|commands per claim|^(baseline|component-)' "$report" || true
}

for ((n = 1; n <= pairs; n++)); do
  if ((n % 2)); then order="before after"; else order="after before"; fi
  for label in $order; do
    if [ "$label" = before ]; then dir=$before_dir; else dir=$after_dir; fi
    run "$label" "$dir" "$n" "$@"
  done
done

# medians per build: per rate, p50/p99, hub CPU and script calls of every measured phase (not the warm-up); per
# consumer variant, entries/s (and its share of the baseline's) and JVM CPU per entry of every measured round
for label in before after; do
  cat "$work/$name"-*-"$label".txt | awk -v label="$label" '
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) a[i] += 0
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function pick(r, what, n,   i) { for (i = 1; i <= n; i++) tmp[i] = v[r, what, i]; return median(tmp, n) }
    /^ rate [0-9]+\/s/ { rate = $2; sub("/s:", "", rate); n[rate]++; if (!(rate in seen)) { seen[rate]; rates[++nr] = rate } }
    /^warmup rate/ { rate = "" }
    rate != "" && /POST -> snapshot/ { v[rate, "p50", n[rate]] = $6; v[rate, "p99", n[rate]] = $8; p99s[rate] = p99s[rate] " " $8 }
    rate != "" && /cpu per claim/ { v[rate, "hub", n[rate]] = $11; v[rate, "redis", n[rate]] = $(NF - 1) }
    rate != "" && /commands per claim/ { for (i = 1; i < NF; i++) if ($i == "evalsha") v[rate, "evalsha", n[rate]] = $(i + 1) }
    /^ +round [0-9]+ +[a-z]/ { x = $4; gsub(",", "", x); c[$3]++; v[$3, "rate", c[$3]] = x; v[$3, "cpu", c[$3]] = $8
      rows[$3] = rows[$3] " " x }
    END {
      for (k = 1; k <= nr; k++) {
        r = rates[k]
        printf "%s %s/s: %d phases, medians: p50 %.2f ms, p99 %.2f ms, hub CPU %.0f us/claim, redis %.0f us/claim, EVALSHA %.2f/claim; p99s:%s\n",
          label, r, n[r], pick(r, "p50", n[r]), pick(r, "p99", n[r]), pick(r, "hub", n[r]), pick(r, "redis", n[r]),
          pick(r, "evalsha", n[r]), p99s[r]
      }
      if ("baseline" in rows) base = pick("baseline", "rate", c["baseline"])
      for (r in rows) printf "%s %-16s %d rounds, medians: %.0f entries/s (%.0f%% of baseline), JVM CPU %.1f us/entry; rounds:%s\n",
        label, r, c[r], pick(r, "rate", c[r]), 100 * pick(r, "rate", c[r]) / base, pick(r, "cpu", c[r]), rows[r]
    }'
done
