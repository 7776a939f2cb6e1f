#!/usr/bin/env bash
# Spark runner throughput (issue #14 item 6): frames/s of the amorphous pipeline on a 65,536-frame
# scan of 192×192 uint16 frames (4.8 GB) with the local engine (2 threads) and with Spark standalone
# executors of one core each (1, then 2; master and workers started here from Spark's own jars),
# plus Spark's overhead per job on a 256-frame scan. Usage (from the repository, after
# `mvn -B package -pl runners/spark -am`):
#     runners/spark/bench/throughput.sh [WORKDIR]      # default /tmp/ltz4d-spark-bench; ~5 GB free
# The scan is 16×16 simulated glass patterns tiled to 256×256 (frames repeat: for speed only) and is
# deleted at the end. Prints one line per run and the load average before and after.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
W=${1:-/tmp/ltz4d-spark-bench}
lib="$root/runners/spark/target/lib"
sjar="$root/runners/spark/target/ltz4d-spark.jar"
[ -f "$sjar" ] && [ -d "$lib" ] || { echo "build first: mvn -B package -pl runners/spark -am" >&2; exit 1; }
# the runtime jar itself (./ltz4d would rebuild it when a source is newer)
ltz4d() { java ${JAVA_OPTS:-} -Djava.util.logging.config.file="$root/launcher/logging.properties" -jar "$root/launcher/target/ltz4d.jar" "$@"; }
mkdir -p "$W"
trap 'rm -f "$W/scan.npy"; for p in ${pids:-}; do kill "$p" 2>/dev/null || true; done' EXIT
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

[ -f "$W/seed/data.npy" ] || ltz4d simulate --scan 16,16 --detector 192,192 --no-vacuum --out "$W/seed" >/dev/null
python3 "$(dirname "$0")/tile_npy.py" "$W/seed/data.npy" "$W/scan.npy" 256 256
OPTS=(--pipeline amorphous --beam-kv 300 --pixel-mrad 0.16 --descan plane --reference-roi 0:16,0:16)

# the page cache warm for every run alike
cat "$W/scan.npy" > /dev/null

run_local() { # FILE OUT THREADS
  local t0 t1
  t0=$(date +%s.%N)
  ltz4d analyze "$1" "${OPTS[@]}" --threads "$3" --out "$2" > "$2.log" 2>&1
  t1=$(date +%s.%N)
  echo "local engine, $3 threads: $(grep -m1 -o '[0-9.]* s' "$2.log" || true) analysis; wall $(echo "$t1 - $t0" | bc) s" \
       "| $(grep -m1 'frames' "$2.log" || true)"
}

submit() { # MASTER CORES FILE OUT [spark-submit options]
  local master=$1 cores=$2 file=$3 out=$4 t0 t1
  shift 4
  t0=$(date +%s.%N)
  SPARK_LOCAL_IP=127.0.0.1 SPARK_HOME="$W/spark-home" java -Xmx2g $opens -cp "$lib/*" org.apache.spark.deploy.SparkSubmit \
      --master "$master" --class org.ltz4d.spark.SparkMain "$@" \
      "$sjar" --rows-per-partition 8 analyze "$file" "${OPTS[@]}" --threads 1 --out "$out" > "$out.log" 2>&1
  t1=$(date +%s.%N)
  echo "spark $master, $cores executor core(s): $(grep -m1 '^results' "$out.log" || tail -3 "$out.log"); wall $(echo "$t1 - $t0" | bc) s"
}

# Spark's overhead per job: the same 256-frame scan, local engine vs spark-submit local[2]
mkdir -p "$W/spark-home"
run_local "$W/seed/data.npy" "$W/small-local" 2
submit 'local[2]' 2 "$W/seed/data.npy" "$W/small-spark" --conf spark.ui.enabled=false

# a standalone master and two workers of one core each (Spark's own classes, as the test starts them)
port=17077
start() { SPARK_LOCAL_IP=127.0.0.1 SPARK_TESTING=1 SPARK_SCALA_VERSION=2.13 SPARK_HOME="$W/spark-home" \
    java -Xmx512m $opens -cp "$lib/*" "$@" > "$W/$(echo "$1" | sed 's/.*\.//')-$RANDOM.log" 2>&1 & pids="${pids:-} $!"; }
start org.apache.spark.deploy.master.Master --host 127.0.0.1 --port $port --webui-port 18080
sleep 8
for w in 1 2; do
  start org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 3g --webui-port $((18080 + w)) \
      --work-dir "$W/work$w" spark://127.0.0.1:$port
done
sleep 10

run_local "$W/scan.npy" "$W/big-local" 2
for n in 1 2; do
  submit spark://127.0.0.1:$port "$n" "$W/scan.npy" "$W/big-spark$n" --deploy-mode client --conf spark.ui.enabled=false \
      --conf spark.driver.host=127.0.0.1 --total-executor-cores "$n" --executor-cores 1 --executor-memory 2g \
      --conf "spark.executor.extraClassPath=$lib/*" --conf "spark.executor.extraJavaOptions=$opens"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
