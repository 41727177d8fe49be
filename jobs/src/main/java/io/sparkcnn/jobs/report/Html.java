package io.sparkcnn.jobs.report;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** The few HTML pieces the report is made of; the page carries its own style and script (it works offline). */
final class Html {
    private Html() {}

    private static final String STYLE = """
            body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 2em auto;
                   max-width: 1100px; padding: 0 1em; color: #222; }
            h1 { margin-bottom: 0.2em; }
            h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
            table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
            th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
            th { background: #f3f5f7; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
            dl.facts dt { color: #666; }
            dl.facts dd { margin: 0; font-weight: 600; }
            div.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(500px, 1fr)); gap: 0 1.2em; }
            figure { margin: 1em 0; }
            figure img { max-width: 100%; border: 1px solid #eee; }
            figcaption { color: #555; font-size: 0.9em; }
            pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.82em; }
            p.missing { color: #b00; font-weight: 600; }
            """;

    /**
     * Marks every figure that did not load with a visible note, and records on the body how many did, which
     * the browser test reads back.
     */
    private static final String CHECK_FIGURES = """
            window.addEventListener('load', function () {
              var images = document.images, loaded = 0;
              for (var i = 0; i < images.length; i++) {
                var img = images[i];
                if (img.complete && img.naturalWidth > 0) { loaded++; continue; }
                var note = document.createElement('p');
                note.className = 'missing';
                note.textContent = 'figure missing: ' + img.getAttribute('src');
                img.parentNode.insertBefore(note, img.nextSibling);
              }
              document.body.setAttribute('data-figures', loaded + '/' + images.length);
            });
            """;

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n<script>\n" + CHECK_FIGURES + "</script>\n</head>\n<body>\n"
                + body + "</body>\n</html>\n";
    }

    /** Name/value pairs; null values are left out. */
    static String facts(Map<String, String> facts) {
        StringBuilder b = new StringBuilder("<dl class=\"facts\">\n");
        facts.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                b.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>\n");
            }
        });
        return b.append("</dl>\n").toString();
    }

    /**
     * A table; cells that look like numbers are right-aligned, null cells are empty, and a column empty in every
     * row (no validation in this run, say) is left out.
     */
    static String table(List<String> header, List<List<String>> rows) {
        List<Integer> shown = IntStream.range(0, header.size())
                .filter(c -> rows.stream().anyMatch(r -> r.get(c) != null && !r.get(c).isEmpty())).boxed().toList();
        StringBuilder b = new StringBuilder("<table>\n<tr>");
        shown.forEach(c -> b.append("<th>").append(esc(header.get(c))).append("</th>"));
        b.append("</tr>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            for (int c : shown) {
                String cell = row.get(c);
                boolean numeric = cell != null && cell.matches("[-+0-9.,%eE]+|[0-9.]+[a-z]*( [0-9]+[a-z]+)*");
                b.append(numeric ? "<td class=\"n\">" : "<td>").append(cell == null ? "" : esc(cell)).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    static String figure(String relativePath, String caption) {
        return "<figure><img src=\"" + esc(relativePath) + "\" alt=\"" + esc(caption) + "\"><figcaption>"
                + esc(caption) + "</figcaption></figure>\n";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
