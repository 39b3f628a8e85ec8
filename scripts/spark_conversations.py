"""Per-conversation packets and bytes from oneway's Parquet, with Apache Spark.

The same query as README's DuckDB one: one line of JSON per (file, conversation), ordered.

    local:    python3 scripts/spark_conversations.py DIR_OR_FILES...
    cluster:  spark-submit --master spark://HOST:7077 scripts/spark_conversations.py \
                  hdfs:///captures/parquet/     (or s3a://..., any storage every executor reads)

Without a --master (python3, or spark-submit with none), Spark runs in local mode on this
machine's cores, bound to 127.0.0.1.
"""

import json
import sys

from pyspark.sql import SparkSession, functions as F


def main(paths):
    spark = (
        SparkSession.builder.appName("oneway conversations")
        # oneway writes `time` as TIMESTAMP(NANOS, UTC); Spark reads it as nanoseconds (a long).
        .config("spark.sql.legacy.parquet.nanosAsLong", "true")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    rows = spark.read.parquet(*paths)
    bytes_ = F.when(F.col("bad_length"), F.col("captured")).otherwise(F.col("length"))
    conversations = (
        rows.where(F.col("conv").isNotNull())
        .groupBy("file", "conv")
        .agg(
            F.count(F.lit(1)).alias("packets"),
            F.sum(bytes_).alias("bytes"),
            F.min("frame").alias("first_frame"),
        )
        .orderBy("file", "conv")
    )
    for r in conversations.toLocalIterator():
        print(json.dumps(r.asDict()), flush=True)
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: spark_conversations.py PARQUET_FILE_OR_DIR...")
    main(sys.argv[1:])
