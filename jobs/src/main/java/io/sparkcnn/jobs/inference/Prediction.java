package io.sparkcnn.jobs.inference;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One image's outcome: its top classes, most probable first, with their probabilities; or, for an image that
 * could not be classified (not decodable, the wrong size), no classes and the reason.
 */
public record Prediction(String path, List<String> classes, double[] probabilities, String error)
        implements Serializable {

    public static Prediction failed(String path, String error) {
        return new Prediction(path, List.of(), new double[0], error);
    }

    /** The {@code k} most probable classes of {@code probabilities} (one per class name, in index order). */
    public static Prediction top(String path, float[] probabilities, List<String> classNames, int k) {
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < probabilities.length; c++) {
            order.add(c);
        }
        // Ties keep index order, so the same probabilities always give the same row.
        order.sort((a, b) -> Float.compare(probabilities[b], probabilities[a]));
        int n = Math.min(k, probabilities.length);
        List<String> names = new ArrayList<>(n);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            names.add(classNames.get(order.get(i)));
            p[i] = probabilities[order.get(i)];
        }
        return new Prediction(path, names, p, null);
    }

    public boolean ok() {
        return error == null;
    }

    /** The CSV header for {@code k} classes: path, class_1, probability_1, ..., error. */
    static String header(int k) {
        StringBuilder line = new StringBuilder("path");
        for (int i = 1; i <= k; i++) {
            line.append(",class_").append(i).append(",probability_").append(i);
        }
        return line.append(",error").toString();
    }

    /** This prediction as a CSV row of {@code k} classes (empty cells for a failed image). */
    String csv(int k) {
        StringBuilder line = new StringBuilder(quote(path));
        for (int i = 0; i < k; i++) {
            boolean has = i < classes.size();
            line.append(',').append(has ? quote(classes.get(i)) : "")
                    .append(',').append(has ? String.format(Locale.ROOT, "%.6f", probabilities[i]) : "");
        }
        return line.append(',').append(error == null ? "" : quote(error)).toString();
    }

    /** RFC 4180 quoting, only where needed. */
    static String quote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
