package dev.ben.cli.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Writes a command's result as text for people or JSON for scripts; progress and warnings go to stderr. */
public final class Output {

    public enum Format { text, json }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final PrintWriter err;
    private final Format format;

    public Output(PrintWriter out, PrintWriter err, Format format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    public boolean json() {
        return format == Format.json;
    }

    /** {@code value} (maps, lists, strings, numbers) as JSON, or the text rendering. */
    public void result(Object value, Consumer<PrintWriter> text) {
        if (json()) {
            out.println(toJson(value));
        } else {
            text.accept(out);
        }
        out.flush();
    }

    public void progress(String line) {
        err.println(line);
        err.flush();
    }

    public PrintWriter err() {
        return err;
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A left-aligned text table. */
    public static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < widths.length && i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i) == null ? 0 : row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = i < row.size() && row.get(i) != null ? row.get(i) : "";
                sb.append(cell);
                if (i < widths.length - 1) {
                    sb.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
