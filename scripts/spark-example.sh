#!/usr/bin/env bash
# Apache Spark over oneway's Parquet, in local mode: writes each CAPTURE as Parquet, runs
# scripts/spark_conversations.py (per-conversation packets and bytes) over all of them at once,
# and checks every conversation against `oneway inspect --summary -f jsonl` of its capture.
# Exit 0 when Spark and oneway agree; 1 otherwise. README shows how the same job runs on a
# cluster (spark-submit over files on shared storage).
#
# Usage: scripts/spark-example.sh [--bin ONEWAY] CAPTURE...
# Needs: python3 with pyspark (pip install pyspark==4.3.0) and a Java 17+ runtime
# (Debian: openjdk-17-jre-headless). Nothing is installed; nothing leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

oneway=target/debug/oneway
if [ "${1:-}" = --bin ]; then oneway=$2; shift 2; fi
if [ $# -eq 0 ]; then sed -n '2,10p' "$0"; exit 2; fi
python3 -c 'import pyspark' 2>/dev/null || { echo "spark-example: python3 has no pyspark (pip install pyspark==4.3.0)" >&2; exit 1; }
command -v java >/dev/null || { echo "spark-example: no java (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/parquet"
i=0
for capture in "$@"; do
  i=$((i + 1))
  # oneway exits 1 on a damaged capture after writing everything before the damage: keep it.
  "$oneway" inspect "$capture" -f parquet -o "$tmp/parquet/$i.parquet" || [ $? = 1 ]
  "$oneway" inspect "$capture" -f jsonl --summary >"$tmp/$i.summary.jsonl" || [ $? = 1 ]
  echo "$capture" >>"$tmp/captures"
done

# Local mode, on this machine's loopback only.
export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON=python3
python3 scripts/spark_conversations.py "$tmp/parquet" >"$tmp/spark.jsonl" 2>"$tmp/spark.log" || {
  cat "$tmp/spark.log" >&2; exit 1; }

python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
captures = open(f"{tmp}/captures").read().splitlines()
spark = {}
for line in open(f"{tmp}/spark.jsonl"):
    r = json.loads(line)
    spark[(r["file"], r["conv"])] = (r["packets"], r["bytes"], r["first_frame"])
want = {}
for i, capture in enumerate(captures, 1):
    for line in open(f"{tmp}/{i}.summary.jsonl"):
        c = json.loads(line)
        want[(capture, c["conversation"])] = (
            c["packets_ab"] + c["packets_ba"], c["bytes_ab"] + c["bytes_ba"], c["first_frame"])
bad = [(k, spark.get(k), v) for k, v in want.items() if spark.get(k) != v]
extra = [k for k in spark if k not in want]
print(f"spark-example: {len(spark)} conversations in {len(captures)} captures from Spark, "
      f"{len(want)} from oneway --summary; {len(bad)} differ, {len(extra)} unknown")
for k, got, v in bad[:10]:
    print(f"  {k}: spark {got}, oneway {v}")
sys.exit(1 if bad or extra else 0)
PY
