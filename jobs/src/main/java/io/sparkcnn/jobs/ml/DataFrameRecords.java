package io.sparkcnn.jobs.ml;

import io.sparkcnn.jobs.config.JobConfig;
import io.sparkcnn.jobs.source.BadDataPolicy;
import io.sparkcnn.jobs.source.ImageCheck;
import io.sparkcnn.jobs.source.JobData;
import io.sparkcnn.jobs.source.RecordStorage;
import io.sparkcnn.jobs.source.Rejected;
import io.sparkcnn.jobs.source.ValidationSplit;
import io.sparkcnn.workers.augment.Preprocess;
import io.sparkcnn.workers.data.DataException;
import io.sparkcnn.workers.data.ImageShape;
import io.sparkcnn.workers.data.LabeledImage;
import io.sparkcnn.workers.image.Image;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StringType;
import scala.Tuple2;

/**
 * A DataFrame of images and labels as the engine's records, the way the folder source makes them of files: one
 * pass on the executors checks every row (label in range, image decodable, sizes), the driver enforces
 * {@code data.bad-data} and draws the held-out sets from the seed, and the good rows become {@link LabeledImage}s
 * numbered 0..n-1 in the DataFrame's order, kept on the executors for the run.
 */
final class DataFrameRecords {
    static final String STAGE = "CnnClassifier";
    private static final int SIZES_LISTED = 5;

    private DataFrameRecords() {}

    /** The job's data and the RDDs a run trains and evaluates on. */
    record Prepared(JobData data, JobData.Splits splits, long rows, JavaRDD<?> kept) {
        /** Frees the executors' copy of the records once the run is over. */
        void unpersist() {
            kept.unpersist(false);
        }
    }

    /** What the check pass learns about one row: its label, its size (WxHxC) or why it is bad, or a label error. */
    record Fact(int label, String size, Rejected bad, String labelError) implements Serializable {}

    static Prepared prepare(Dataset<Row> dataset, String inputCol, String labelCol, JobConfig job,
                            List<String> classNames) {
        ImageColumn kind = ImageColumn.of(dataset.schema(), inputCol, STAGE);
        ImageColumn.checkLabel(dataset.schema(), labelCol, STAGE);
        boolean hasPath = Arrays.asList(dataset.schema().fieldNames()).contains("path")
                && dataset.schema().apply("path").dataType() instanceof StringType;
        List<Column> columns = new ArrayList<>(List.of(functions.col(inputCol),
                functions.col(labelCol).cast("double")));
        if (hasPath) {
            columns.add(functions.col("path"));
        }
        JavaRDD<Row> rows = dataset.select(columns.toArray(Column[]::new)).javaRDD();
        ImageColumn.Source source = new ImageColumn.Source(kind == ImageColumn.STRUCT ? 0 : -1, hasPath ? 2 : -1);
        int classes = classNames.size();
        JobConfig.Data d = job.data();
        Preprocess p = d.preprocess();
        int minSide = p.shorterSide() == 0 && p.cropHeight() > 0 ? Math.max(p.cropHeight(), p.cropWidth()) : 1;
        ImageCheck check = new ImageCheck(d.channels() == 0 ? 3 : d.channels(), minSide);

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        sc.setJobDescription("CnnClassifier: checking the rows of column " + inputCol);
        List<Fact> facts = rows.zipWithIndex().map(t -> fact(t._1(), t._2(), kind, source, check, labelCol, classes))
                .collect();
        sc.setJobDescription(null);
        if (facts.isEmpty()) {
            throw new IllegalArgumentException(STAGE + ": the DataFrame has no rows to train on.");
        }
        List<Rejected> bad = new ArrayList<>();
        TreeSet<String> sizes = new TreeSet<>();
        for (Fact f : facts) {
            if (f.labelError() != null) {
                throw new IllegalArgumentException(f.labelError());
            }
            if (f.bad() != null) {
                bad.add(f.bad());
            } else {
                sizes.add(f.size());
            }
        }
        new BadDataPolicy(d.badData(), d.maxBadFraction())
                .enforce("column " + inputCol, bad, facts.size());

        ImageShape stored = null;
        if (kind == ImageColumn.STRUCT && sizes.size() == 1) {
            String[] hwc = sizes.first().split("x");
            stored = new ImageShape(Integer.parseInt(hwc[2]), Integer.parseInt(hwc[1]), Integer.parseInt(hwc[0]));
        } else if (kind == ImageColumn.STRUCT && p.height() == 0 && p.cropHeight() == 0) {
            throw new IllegalArgumentException(STAGE + ": column '" + inputCol + "' holds images of " + sizes.size()
                    + " sizes (" + String.join(", ", sizes.stream().limit(SIZES_LISTED).toList())
                    + (sizes.size() > SIZES_LISTED ? ", ..." : "") + ") and the preprocessing does not resize them:"
                    + " set Param preprocess (job key data.preprocess) to, for example, \"{height = 28, width = 28}\","
                    + " or resize the images first.");
        }
        JobData data = JobData.ofRecords(job, classNames, stored);

        // The held-out sets, stratified by class from the seed, as the folder source draws them from a listing.
        List<LabeledImage> good = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            if (facts.get(i).bad() == null) {
                good.add(new LabeledImage(i, facts.get(i).label(), new byte[0]));
            }
        }
        ValidationSplit test = ValidationSplit.of(good, d.testFraction(), job.seed(), "test-split");
        Set<Long> testRows = test.validation().stream().map(LabeledImage::id).collect(Collectors.toSet());
        List<LabeledImage> rest = good.stream().filter(r -> !testRows.contains(r.id())).toList();
        ValidationSplit validation = ValidationSplit.of(rest, d.validationFraction(), job.seed());
        // Per row: which set (0 train, 1 validation, 2 test, -1 left out) and its id there, 0..n-1 in row order.
        byte[] set = new byte[facts.size()];
        long[] ids = new long[facts.size()];
        Arrays.fill(set, (byte) -1);
        number(test.validation(), set, ids, (byte) 2);
        number(validation.validation(), set, ids, (byte) 1);
        long trainCount = 0;
        for (LabeledImage r : rest) {
            if (set[(int) r.id()] == -1) {
                set[(int) r.id()] = 0;
                ids[(int) r.id()] = trainCount++;
            }
        }

        Broadcast<byte[]> sets = sc.broadcast(set);
        Broadcast<long[]> newIds = sc.broadcast(ids);
        boolean raw = stored != null;
        JavaRDD<Tuple2<Byte, LabeledImage>> records = rows.zipWithIndex()
                .filter(t -> sets.value()[(int) (long) t._2()] >= 0)
                .map(t -> {
                    int row = (int) (long) t._2();
                    Row r = t._1();
                    String where = source.of(r, row);
                    LabeledImage record = new LabeledImage(newIds.value()[row], (int) r.getDouble(1),
                            bytes(r, kind, raw, where), where);
                    return new Tuple2<>(sets.value()[row], record);
                })
                .setName("CnnClassifier records of column " + inputCol)
                .persist(RecordStorage.LEVEL);
        JavaRDD<LabeledImage> train = of(records, (byte) 0);
        long validationCount = validation.validation().size();
        long testCount = test.validation().size();
        JavaRDD<LabeledImage> validationRdd = validationCount > 0 ? of(records, (byte) 1) : null;
        // Without a test split the run reports on the validation rows, without either on the training rows, and
        // every number says which (JobData.Splits.finalSet).
        JobData.Splits splits = new JobData.Splits(train, trainCount, validationRdd, validationCount,
                testCount > 0 ? of(records, (byte) 2) : null, testCount, bad);
        return new Prepared(data, splits, facts.size(), records);
    }

    private static void number(List<LabeledImage> held, byte[] set, long[] ids, byte which) {
        long next = 0;
        List<Long> rows = held.stream().map(LabeledImage::id).sorted().toList();
        for (long row : rows) {
            set[(int) row] = which;
            ids[(int) row] = next++;
        }
    }

    private static JavaRDD<LabeledImage> of(JavaRDD<Tuple2<Byte, LabeledImage>> records, byte which) {
        return records.filter(t -> t._1() == which).map(Tuple2::_2);
    }

    /** The row's check on the executor: its label and, for a good image, its size as WxHxC. */
    static Fact fact(Row row, long index, ImageColumn kind, ImageColumn.Source source, ImageCheck check,
                     String labelCol, int classes) {
        String where = source.of(row, index);
        // Told on the driver, for the first such row: an exception here would reach the user wrapped by Spark.
        if (row.isNullAt(1)) {
            return new Fact(-1, null, null, STAGE + ": label column '" + labelCol + "' is null at " + where
                    + "; drop the rows without a label (na.drop) before fitting.");
        }
        double label = row.getDouble(1);
        if (label != Math.rint(label) || label < 0 || label >= classes) {
            return new Fact(-1, null, null, STAGE + ": label column '" + labelCol + "' holds " + label + " at "
                    + where + ", outside the class indices [0, " + classes + ") of the " + classes + " class names;"
                    + " index the labels with a StringIndexer, or give every class a name (Param classNames).");
        }
        Image image;
        if (kind == ImageColumn.STRUCT) {
            try {
                image = ImageColumn.decodeStruct(row.isNullAt(0) ? null : row.getStruct(0), where);
            } catch (DataException e) {
                return new Fact((int) label, null, new Rejected(where, "undecodable", e.getMessage()), null);
            }
        } else {
            List<Rejected> why = new ArrayList<>(1);
            byte[] bytes = row.isNullAt(0) ? new byte[0] : (byte[]) row.get(0);
            image = check.decode(new LabeledImage(index, (int) label, bytes, where), why::add);
            if (image == null) {
                return new Fact((int) label, null, why.get(0), null);
            }
        }
        return new Fact((int) label, image.width() + "x" + image.height() + "x" + image.channels(), null, null);
    }

    /** The record's bytes: raw CHW pixels of one size, or an encoded file (the DataFrame's own, or a PNG). */
    private static byte[] bytes(Row row, ImageColumn kind, boolean raw, String where) {
        if (kind == ImageColumn.ENCODED) {
            return (byte[]) row.get(0);
        }
        Image image = ImageColumn.decodeStruct(row.getStruct(0), where);
        return raw ? ImageColumn.chwBytes(image) : ImageColumn.png(image);
    }
}
