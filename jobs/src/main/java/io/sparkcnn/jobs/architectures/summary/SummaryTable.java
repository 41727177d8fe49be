package io.sparkcnn.jobs.architectures.summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Renders a {@link ModelSummary} as an aligned plain-text table: text columns left, numbers right, totals last. */
final class SummaryTable {
    private SummaryTable() {}

    private record Column(String header, boolean right, Function<LayerRow, String> cell) {}

    static String render(ModelSummary summary) {
        List<Column> columns = columns(isChain(summary.rows()));
        List<List<String>> lines = new ArrayList<>();
        lines.add(columns.stream().map(Column::header).toList());
        for (LayerRow row : summary.rows()) {
            lines.add(columns.stream().map(c -> c.cell().apply(row)).toList());
        }
        List<String> totals = new ArrayList<>(columns.stream().map(c -> "").toList());
        totals.set(1, "total");
        totals.set(indexOf(columns, "params"), grouped(summary.totalParameters()));
        totals.set(indexOf(columns, "MACs"), metric(summary.totalMultiplyAdds()));
        totals.set(indexOf(columns, "memory"), bytes(summary.totalActivationBytes()));

        int[] widths = new int[columns.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(widths[i], totals.get(i).length());
        }
        String rule = "-".repeat(java.util.Arrays.stream(widths).sum() + 2 * (widths.length - 1));
        StringBuilder out = new StringBuilder();
        append(out, lines.get(0), columns, widths);
        out.append(rule).append('\n');
        lines.subList(1, lines.size()).forEach(line -> append(out, line, columns, widths));
        out.append(rule).append('\n');
        append(out, totals, columns, widths);
        out.append(String.format(Locale.ROOT, "%s parameters, %s multiply-adds and %s of activations per image%n",
                grouped(summary.totalParameters()), grouped(summary.totalMultiplyAdds()),
                bytes(summary.totalActivationBytes())));
        return out.toString();
    }

    private static List<Column> columns(boolean chain) {
        List<Column> columns = new ArrayList<>(List.of(
                new Column("#", true, r -> r.index() < 0 ? "" : Integer.toString(r.index())),
                new Column("name", false, LayerRow::name),
                new Column("type", false, LayerRow::type)));
        if (!chain) {
            columns.add(new Column("inputs", false, r -> String.join(",", r.inputs())));
        }
        columns.addAll(List.of(
                new Column("kernel", false, LayerRow::kernel),
                new Column("stride", false, LayerRow::stride),
                new Column("pad", false, LayerRow::padding),
                new Column("output", true, r -> r.output().toString()),
                new Column("params", true, r -> grouped(r.parameters())),
                new Column("RF", true, r -> r.receptiveField().toString()),
                new Column("MACs", true, r -> metric(r.multiplyAdds())),
                new Column("memory", true, r -> bytes(r.activationBytes()))));
        return columns;
    }

    /** The inputs column only earns its width when some layer does not simply follow the one above it. */
    private static boolean isChain(List<LayerRow> rows) {
        for (int i = 1; i < rows.size(); i++) {
            LayerRow row = rows.get(i);
            if (row.index() >= 0 && !row.inputs().equals(List.of(rows.get(i - 1).name()))) {
                return false;
            }
        }
        return true;
    }

    private static void append(StringBuilder out, List<String> cells, List<Column> columns, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            line.append(i == 0 ? "" : "  ").append(columns.get(i).right() ? pad + cell : cell + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static int indexOf(List<Column> columns, String header) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).header().equals(header)) {
                return i;
            }
        }
        throw new IllegalStateException(header);
    }

    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Multiply-adds read best as 105.4M or 15.5G; exact counts stay in the rows. */
    static String metric(long n) {
        if (n == 0) {
            return "0";
        }
        String[] units = {"", "K", "M", "G", "T"};
        double v = n;
        int unit = 0;
        while (v >= 1000 && unit < units.length - 1) {
            v /= 1000;
            unit++;
        }
        return unit == 0 ? Long.toString(n) : String.format(Locale.ROOT, "%.1f%s", v, units[unit]);
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB"};
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return unit == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }
}
