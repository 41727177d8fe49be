package io.sparkcnn.jobs.prepare;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One row of a Parquet shard: an encoded image with its label, class name, source path and size. */
record ShardRow(int label, String className, String path, int width, int height, byte[] image)
        implements Serializable {
    /** Not nullable, so that Parquet stores the columns as required and readers need no null checks. */
    static final StructType SCHEMA = new StructType()
            .add("label", DataTypes.IntegerType, false)
            .add("class_name", DataTypes.StringType, false)
            .add("path", DataTypes.StringType, false)
            .add("width", DataTypes.IntegerType, false)
            .add("height", DataTypes.IntegerType, false)
            .add("image", DataTypes.BinaryType, false);

    Row toRow() {
        return RowFactory.create(label, className, path, width, height, image);
    }
}
