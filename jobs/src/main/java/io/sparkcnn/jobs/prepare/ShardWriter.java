package io.sparkcnn.jobs.prepare;

import io.sparkcnn.jobs.source.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Writes the good images of one split as {@code shards} Parquet files through Spark SQL, in id order: shard
 * {@code i} holds the i-th consecutive slice, and the files are renamed {@code shard-00000.parquet}... so that
 * their names give that order.
 */
final class ShardWriter {
    private final SparkSession spark;
    private final int shards;

    ShardWriter(SparkSession spark, int shards) {
        this.spark = spark;
        this.shards = shards;
    }

    /**
     * Writes the good records of {@code packed} ({@code count} of them; {@code badIds} sorted) into
     * {@code folder}, named {@code split} in the manifest, and returns the shards as the manifest lists them.
     */
    List<Manifest.Shard> write(JavaRDD<Packed> packed, long[] badIds, long count, Path folder, String split) {
        int n = (int) Math.min(shards, count);
        Broadcast<long[]> gone = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(badIds);
        // A good record's new id is its old one less the bad ids before it.
        JavaRDD<Row> rows = packed.filter(Packed::isGood)
                .mapToPair(p -> new Tuple2<>(p.id() + Arrays.binarySearch(gone.value(), p.id()) + 1, p.row()))
                .repartitionAndSortWithinPartitions(new IdRanges(n, count))
                .map(idRow -> idRow._2().toRow());
        // The images are JPEG or PNG already: compressing them again costs time and saves nothing.
        spark.createDataFrame(rows, ShardRow.SCHEMA).write().mode(SaveMode.ErrorIfExists)
                .option("compression", "uncompressed").parquet(folder.toString());
        gone.destroy();
        return rename(folder, split, n, count);
    }

    private List<Manifest.Shard> rename(Path folder, String split, int n, long count) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        try {
            FileSystem fs = folder.getFileSystem(hadoop);
            FileStatus[] parts = fs.listStatus(folder, p -> p.getName().startsWith("part-")
                    && p.getName().endsWith(".parquet"));
            Arrays.sort(parts, Comparator.comparing(s -> s.getPath().getName()));
            if (parts.length != n) {
                throw new IllegalStateException("Spark wrote " + parts.length + " files to " + folder + ", not the "
                        + n + " shards asked for");
            }
            List<Manifest.Shard> written = new ArrayList<>();
            long rows = 0;
            for (int i = 0; i < n; i++) {
                String name = String.format(Locale.ROOT, "shard-%05d.parquet", i);
                Path target = new Path(folder, name);
                if (!fs.rename(parts[i].getPath(), target)) {
                    throw new IOException("cannot rename " + parts[i].getPath() + " to " + target);
                }
                long shardRows = rowCount(target, hadoop);
                written.add(new Manifest.Shard(split + "/" + name, shardRows));
                rows += shardRows;
            }
            if (rows != count) {
                throw new IllegalStateException("the " + split + " shards hold " + rows + " rows, not " + count);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish the shards in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** From the footer alone: the row count the file really holds, not the one we meant to write. */
    private static long rowCount(Path file, Configuration hadoop) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, hadoop))) {
            return reader.getRecordCount();
        }
    }
}
