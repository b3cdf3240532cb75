package org.cnn4j.cli;

import java.io.PrintStream;
import java.util.List;

/** Prints a confusion matrix with per-class accuracy. */
final class ConfusionTable {
    private ConfusionTable() {
    }

    static void print(PrintStream out, List<String> classes, long[][] confusion) {
        out.println("confusion matrix (rows: true class, columns: predicted):");
        StringBuilder head = new StringBuilder(String.format("%14s", ""));
        for (int c = 0; c < confusion.length; c++) {
            head.append(String.format("%6d", c));
        }
        out.println(head.append("   accuracy"));
        for (int r = 0; r < confusion.length; r++) {
            String name = r < classes.size() ? classes.get(r) : Integer.toString(r);
            StringBuilder row = new StringBuilder(String.format("%2d %-11.11s", r, name));
            long total = 0;
            for (long v : confusion[r]) {
                row.append(String.format("%6d", v));
                total += v;
            }
            row.append(total == 0 ? "        -" : String.format("   %6.2f%%", 100.0 * confusion[r][r] / total));
            out.println(row);
        }
    }
}
