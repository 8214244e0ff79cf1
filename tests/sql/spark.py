"""Run `dachieu sql --dialect spark` queries on Spark in local mode.

usage: spark.py DATASET QUERY.sql OUT_DIR [TABLE_QUERY.sql TABLE_OUT_DIR]

Binds `households` and `members` to the dataset's Parquet files (each
file carries its survey_year column, so partition discovery is turned off
with recursiveFileLookup), runs each query and writes its rows as Parquet
into the output folder, for check.py to compare with the engine.
"""
import sys
import time
from pyspark.sql import SparkSession

dataset, pairs = sys.argv[1], sys.argv[2:]
spark = (
    SparkSession.builder.master("local[2]")
    .appName("dachieu-sql-check")
    .config("spark.ui.enabled", "false")
    .config("spark.sql.shuffle.partitions", "4")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
for table in ("households", "members"):
    (
        spark.read.option("recursiveFileLookup", "true")
        .option("pathGlobFilter", f"{table}.parquet")
        .option("mergeSchema", "true")
        .parquet(dataset)
        .createOrReplaceTempView(table)
    )
for query, out in zip(pairs[0::2], pairs[1::2]):
    start = time.time()
    df = spark.sql(open(query, encoding="utf-8").read())
    df.coalesce(1).write.mode("overwrite").parquet(out)
    print(f"{query}: {spark.read.parquet(out).count()} rows in {time.time() - start:.1f} s")
spark.stop()
