#!/usr/bin/env python3
"""Lists the mutants that PIT's mutation profile left alive, each with the reason it is accepted.

Usage: tools/mutation/survivors.py [--markdown] [RUN ...]
   RUN: report directories of one PIT run, comma-separated (default, after ./mvnw -P mutation verify:
   core/target/pit-reports,cpu-backend/target/pit-reports). Each directory sits in the checkout the run was made
   from (MODULE/target/pit-reports), whose sources give the mutated lines. A later RUN replaces the earlier runs'
   results for every top-level class it mutated (e.g. a targeted rerun after new tests, see docs/testing.md) and
   drops classes its checkout no longer has (renamed or removed). A RUN written +DIRS has the same sources as the
   run before it under another configuration or test set (-Dmutation.vector=false, the scalar kernels, or a run of
   a few tests): a mutant counts as detected when either run detected it.

Prints the score of each report and of both together, then every SURVIVED or NO_COVERAGE mutant with the first
rule of RULES below that matches it (class, method and PIT's description, as regular expressions). A mutant that
no rule explains is printed as "not analysed yet": kill it with a test, or add a rule that says truthfully why it
cannot be killed. docs/mutation-survivors.md holds the output for the last runs; docs/testing.md gives the commands
of a full and of a targeted run and how long each took.
"""
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_REPORTS = ["core/target/pit-reports", "cpu-backend/target/pit-reports"]
# the packages the mutation profile mutates, and the module holding each
PACKAGES = [("core", "org.cnn4j.ops"), ("core", "org.cnn4j.optim"), ("core", "org.cnn4j.autograd"),
            ("cpu-backend", "org.cnn4j.cpu")]

SCHEDULING = ("scheduling only: a cost estimate, a threshold or a split that decides how work is divided among "
              "threads or chunks; results do not depend on it (ThreadCountDeterminismTest compares bits)")
MEMORY = ("memory only: frees a temporary early; without it the array is freed when its MemoryScope closes, "
          "so results and the tests' end-of-scope leak checks are unchanged")
UNROLL = ("equivalent: the bound of an unrolled or blocked loop; the loop after it finishes the remaining "
          "elements, so the same sums are formed")

# (class regex, method regex, description regex, reason), optionally a 5th: a regex on the mutated source line;
# the first match wins
RULES = [
    (r"", r"", r"removed call to org/cnn4j/tensor/Tensor::close", MEMORY),
    (r"org\.cnn4j\.(autograd\.Node|optim\.Optimizer)", r"release|close", r"Map::clear", MEMORY),
    (r"", r"", r"Replaced long (multiplication|division) with (division|multiplication)", SCHEDULING),
    (r"org\.cnn4j\.cpu\.CpuThreads", r"parallelFor|compute", r"", SCHEDULING),
    (r"org\.cnn4j\.cpu\.CpuConv\$Dims", r"parallelOverTasks|flopsPerTask", r"", SCHEDULING),
    (r"org\.cnn4j\.cpu\.CpuConv", r"forEachTask", r"negated conditional", SCHEDULING),
    (r"org\.cnn4j\.cpu\.Winograd\$Grid", r"of", r"", SCHEDULING),
    (r"org\.cnn4j\.cpu\.(CpuActivation)", r"^(forward|backward)$", r"negated conditional", SCHEDULING),
    (r"org\.cnn4j\.cpu\.CpuBatchNorm", r"^sum|sumSquaredDeviations|sumProductsCentred", r"boundary", UNROLL),
    (r"org\.cnn4j\.cpu\.CpuGemm", r"kernel", r"boundary", UNROLL, r"p \+ 4 <= kc"),
    (r"org\.cnn4j\.cpu\.CpuArrayPool", r"", r"",
     "memory only: the pool of released arrays (how many are kept, when they are zeroed in parallel); a "
     "wrong choice costs memory or speed, never a value"),
    (r"org\.cnn4j\.cpu\.CpuScratch", r"get", r"ThreadLocal::set",
     "speed only: the grown scratch array is not kept for the next call, so it is allocated again"),
    (r"org\.cnn4j\.cpu\.VectorSupport", r"describe", r"", "diagnostics: the text of `cnn doctor` and logs"),
    (r"org\.cnn4j\.cpu\.VectorGemm", r"vectorBits", r"", "diagnostics: the text of `cnn doctor` and logs"),
    (r"org\.cnn4j\.cpu\.CpuBackend", r"description", r"", "diagnostics: the text of `cnn doctor` and logs"),
    (r"org\.cnn4j\.cpu\.VectorSupport", r"vectorGemmWorks", r"",
     "self-test at class load: it decides between the vector and the scalar GEMM, both tested against the "
     "reference; a mutant here only picks the other (correct) path"),
    (r"org\.cnn4j\.cpu\.CpuActivation", r"lambda\$forward", r"boundary",
     "equivalent: at x = 0 both branches give a zero of the same sign", r"alpha \* x\[i\]"),
    (r"org\.cnn4j\.cpu\.CpuBackend", r"allocate", r"boundary",
     "untestable here: the limit is 2^31 - 9 floats (8 GB)"),
    (r"org\.cnn4j\.cpu\.CpuBatchNorm", r"", r"boundary",
     "equivalent: with one value per channel the unbiased variance is 0/0 = NaN either way", r"count > 1"),
    (r"org\.cnn4j\.cpu\.CpuConv", r"^(forward|backwardData|backwardFilter)$", r"negated conditional",
     "speed only: paysOff chooses between Winograd and im2col where both are correct (each is tested against "
     "the reference); negating appliesForward instead sends dilated or grouped convolutions to Winograd, which "
     "WinogradTest.cpuConvDispatchMatchesReference kills", r"paysOff"),
    (r"org\.cnn4j\.cpu\.(CpuConv|Im2col|CpuGemm|VectorGemm|Winograd)", r"", r"boundary",
     "equivalent: the bound of a loop over bands, blocks or tiles; the extra iteration has an empty range",
     r"(p0 < d\.p|qLo >= qHi|jc < n|pc < k|p0 < k;|i0 < m|g0 < nc|m <= 0 \|\| n <= 0|b = from; b < to)"),
    (r"org\.cnn4j\.cpu\.(CpuGemm|VectorGemm|Winograd)", r"", r"Replaced integer",
     "equivalent: a tile count rounded up one more (or less) only adds or drops a tile past the edge of the "
     "matrix, which has no rows and does nothing", r"(tiles[MN]|panels|groups|blocks) = \("),
    (r"org\.cnn4j\.cpu\.CpuConv\$Dims", r"of", r"",
     "correct either way: the band height (how many output rows one im2col matrix holds); bands of every size "
     "are tested (bandsOfOutputRowsMatchReference)", r"(rows = wd\[1\]|int band = )"),
    (r"org\.cnn4j\.cpu\.CpuElementwise", r"stridedRun", r"Replaced integer",
     "equivalent: a strided run always has one operand broadcast (stride 0) and the other contiguous "
     "(stride 1), where k * 0 = -(k * 0) and k * 1 = k / 1"),
    (r"org\.cnn4j\.cpu\.Im2col", r"isIdentity", r"negated conditional",
     "speed only: p == h already implies a 1x1 kernel, so the shortcut is only switched off where im2col gives "
     "the same matrix"),
    (r"org\.cnn4j\.optim\.(LinearWarmup|OneCycleLR)", r"^lr$", r"boundary",
     "equivalent: the schedule is continuous where its two phases meet, so either phase gives that step's rate"),
    (r"org\.cnn4j\.optim\.MultiStepLR", r"<init>", r"Arrays::sort",
     "equivalent: lr() counts every milestone reached, in any order"),
    (r"org\.cnn4j\.autograd\.Autograd", r"appearsBefore", r"",
     "memory only: these mutants copy a gradient that did not need copying (the mutant that never copies is "
     "killed by AutogradEdgeCasesTest)"),
    (r"org\.cnn4j\.autograd\.Autograd", r"backward", r"boundary",
     "equivalent: gIn has one entry per input, so the extra iteration (i == inputs.length) or the widened "
     "i < gIn.length test finds no further gradient", r"i < (inputs|gIn)\.length"),
    (r"org\.cnn4j\.autograd\.Autograd", r"backward", r"negated conditional",
     "memory only: copies the output gradient each time an input receives it unchanged instead of handing it on "
     "once, so it is freed after the node; the values are the same (the negations that let one tensor reach two "
     "inputs are killed by AutogradEdgeCasesTest, with three non-leaf inputs)", r"g == gOut \? passedOn"),
    (r"org\.cnn4j\.ops\.Losses", r"nllLoss", r"negated conditional",
     "memory only: with a graph the per-sample losses are freed at once (the mean's or sum's backward needs only "
     "their shape), without one they are left to their scope; the negation that frees the returned losses is "
     "killed", r"result != perSample && !perSample\.requiresGrad\(\)"),
    (r"org\.cnn4j\.ops\.Arithmetic", r"mean", r"negated conditional",
     "memory only: decides whether the intermediate sum is freed now or with its scope", r"requiresGrad"),
    (r"org\.cnn4j\.optim\.GradClip", r"clipGradNorm", r"boundary",
     "equivalent: at coef == 1 scaling by 1 changes nothing", r"coef < 1"),
    (r"org\.cnn4j\.cpu\.Winograd", r"transformInputs", r"boundary",
     "speed only: a stricter inside test sends more patches through the edge loader, which is correct everywhere",
     r"boolean inside"),
    (r"org\.cnn4j\.cpu\.Winograd", r"paysOff", r"",
     "speed only: Winograd on small outputs is correct, only slower than im2col"),
    (r"org\.cnn4j\.cpu\.Winograd\$Grid", r"flopsPerChunk", r"", SCHEDULING),
    (r"org\.cnn4j\.cpu\.Winograd\$Workspace", r"ensure", r"boundary",
     "equivalent: reallocates buffers of the size it already has"),
    (r"org\.cnn4j\.cpu\.CpuThreads", r"useThreads", r"",
     "test hook: without it the tests keep running on some pool, and results do not depend on which"),
    (r"org\.cnn4j\.cpu\.CpuThreads\$Worker", r"", r"",
     "equivalent: the thread's name (diagnostics) and daemon flag (ForkJoinWorkerThread sets it already)"),
    (r"org\.cnn4j\.cpu\.CpuReduce", r"sumTo", r"",
     "correct either way: chooses between the one-pass sum and the fixed-parts sum, or how rows are split into "
     "parts; every row is summed once in double either way (largeReductionsMatchAPlainSum checks the values)",
     r"(chunks > 1|int per = )"),
    (r"org\.cnn4j\.cpu\.CpuConv", r"backwardFilter", r"",
     "correct either way: how many image parts the weight gradient uses, or which path (per group or per part); "
     "each sums every image once", r"(int parts = |d\.groups >= parts)"),
    (r"org\.cnn4j\.cpu\.CpuConv", r"backwardFilter", r"", SCHEDULING, r"long cost = "),
    (r"org\.cnn4j\.cpu\.Erf", r"series", r"",
     "equivalent to float precision: the series' stopping rule; terms below 1e-17 of the sum change nothing"),
    (r"org\.cnn4j\.cpu\.Erf", r"erfc?$", r"boundary",
     "equivalent: at the switch point (z = 0, |z| = 3) both formulas agree to double precision (ErfTest)"),
]


# Rules added after analysing the survivors that the first rules left "not analysed yet" (2026-11-29).
PADDING = ("equivalent: the zeros of the padding rows of packed A or padding columns of packed B only reach the "
           "cells of the edge buffer past the matrix's edge, which are never copied into C, whatever stale values "
           "the workspace held there")
WRONG_ORIGIN = ("speed only: the mutated image index, remainder or column puts the patch origin past the image "
                "(a row or column beyond the last tile; index 0 unchanged), so the inside test fails and the edge "
                "loader, which recomputes the position, reads the right patch")
RULES += [
    (r"org\.cnn4j\.cpu\.VectorPack", r"packA|packB", r"", PADDING, r"(= 0f;|p < kc; p\+\+\) \{$|cols < nr|fill\()"),
    (r"org\.cnn4j\.cpu\.Winograd$", r"transformFilters", r"", PADDING, r"(packed && size != kc|fill\(u, 0)"),
    (r"org\.cnn4j\.cpu\.VectorGemm", r"paddedRows", r"",
     "equivalent: pads A to more rows, the same way in the buffer size, the packing and the reading (all use "
     "paddedRows); the extra rows are padding"),
    (r"org\.cnn4j\.cpu\.CpuGemm", r"^gemm$", r"negated conditional",
     "correct either way: chooses the vector or the scalar GEMM, each tested against the reference loop",
     r"VectorSupport\.ENABLED"),
    (r"org\.cnn4j\.cpu\.CpuElementwise", r"binaryRun", r"negated conditional",
     "speed only: negating a test of the (1, 0) shortcut sends those runs to the strided loop, correct for any "
     "strides; the only run it could send the other way, strides (0, 0), is the one-element rank-0 op, where "
     "both loops read the same two values", r"sa == 1 && sb == 0"),
    (r"org\.cnn4j\.cpu\.CpuScratch", r"get", r"boundary",
     "speed only: reallocates a buffer of the size it already has (its contents are unspecified either way)"),
    (r"org\.cnn4j\.cpu\.Im2col", r"firstValid", r"boundary",
     "equivalent: at off = 0 the formula gives (stride - 1) / stride = 0, the same as the shortcut"),
    (r"org\.cnn4j\.cpu\.Winograd$", r"backwardFilter", r"boundary",
     "equivalent: with from == cin the input-channel range [cin, min(to, cin)) is empty", r"from < g\.cin"),
    (r"org\.cnn4j\.cpu\.Winograd$", r"loadTiles", r"boundary",
     "equivalent: an extra column writes the next row's first entry, which that row then writes again; an "
     "extra row (or column after the last row) writes entries 16 to 19 of the 36-entry workspace, which the "
     "4x4 transform never reads",
     r"(a|b) < TILE"),
    (r"org\.cnn4j\.cpu\.WinogradTransforms", r"outputGradient", r"boundary",
     "equivalent: a fifth pass reads and writes rows past the 16 inputs and 24 temporaries (the workspace rows "
     "are 36), which the second pass never reads", r"a < 4"),
    (r"org\.cnn4j\.cpu\.CpuPool", r"windowMax", r"",
     "equivalent: the running maximum keeps the first of equal values, which are the same float except for a "
     "signed zero, and a zero maximum is read again at the first maximum (argMax); the mutant keeps the last of "
     "equal values or re-reads a non-zero maximum, the same float either way", r"(v > max|max == 0f \|\| nan)"),
    (r"org\.cnn4j\.cpu\.Winograd$", r"transformInputs", r"Replaced integer", WRONG_ORIGIN,
     r"int tile = t0 \+ t, n = tile"),
    (r"org\.cnn4j\.cpu\.Winograd$", r"transformInputs", r"Replaced integer modulus", WRONG_ORIGIN,
     r"w0 = \(rem % g\.tilesW\)"),
    (r"org\.cnn4j\.cpu\.Winograd$", r"transformInputs", r"boundary",
     "speed only: origin 0 (the first tile of a convolution without padding) would go through the edge loader, "
     "which is correct everywhere", r"src < 0"),
    (r"org\.cnn4j\.ops\.Shapes", r"flatten", r"boundary",
     "equivalent: the extra iteration writes dims[start], which the next line overwrites", r"i < start"),
    (r"org\.cnn4j\.optim\.Optimizer", r"paramIndex", r"boundary",
     "equivalent: dot is searched from index 6, so it is -1 or at least 6, never 0", r"dot < 0"),
]


def mutants(report_dir):
    """(class, method, line, description, status, source root, identity) of every mutant in one PIT report."""
    tree = ET.parse(os.path.join(report_dir, "mutations.xml"))
    root = run_root(report_dir)
    found = []
    for m in tree.getroot():
        identity = tuple(m.findtext(f) for f in ("mutatedClass", "mutatedMethod", "methodDescription", "lineNumber",
                                                 "mutator")) + (tuple(i.text for i in m.iter("index")),)
        found.append((m.find("mutatedClass").text, m.find("mutatedMethod").text, int(m.find("lineNumber").text),
                      m.find("description").text, m.get("status"), root, identity))
    return found


def union(earlier, again):
    """The mutants of one checkout run twice under two configurations: detected when either run detected it."""
    alive = ("SURVIVED", "NO_COVERAGE")
    better = {m[6]: m for m in again if m[4] not in alive}
    return [better.get(m[6], m) if m[4] in alive else m for m in earlier]


def top_class(cls):
    """The top-level class a (possibly nested) class belongs to: a later run replaces whole top-level classes."""
    return cls.split("$")[0]


def run_root(report_dir):
    """The checkout a report was made from (MODULE/target/pit-reports sits in it), whose sources its line numbers
    refer to; this checkout when the report no longer sits in one."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(report_dir))))
    return root if os.path.isdir(os.path.join(root, "core", "src", "main", "java")) else ROOT


def source_path(cls, root):
    top = top_class(cls)
    module = "cpu-backend" if top.startswith("org.cnn4j.cpu.") else "core"
    return os.path.join(root, module, "src", "main", "java", *top.split(".")) + ".java"


def source_line(cls, line, root=ROOT):
    """The text of the mutated line, from the sources of the run's checkout (empty when not found)."""
    path = source_path(cls, root)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""
    except OSError:
        return ""


def reason(cls, method, desc, line=0, root=ROOT):
    text = source_line(cls, line, root) if line else ""
    for rule in RULES:
        c, m, d, why = rule[:4]
        if re.search(c, cls) and re.search(m, method) and re.search(d, desc) and (
                len(rule) < 5 or re.search(rule[4], text)):
            return why
    return "not analysed yet: a test gap or an equivalent mutant"


def never_mutated(mutated):
    """Classes of the profile's packages in this checkout that no merged run mutated."""
    found = []
    for module, package in PACKAGES:
        folder = os.path.join(ROOT, module, "src", "main", "java", *package.split("."))
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            cls = package + "." + name[:-len(".java")]
            if name.endswith(".java") and name != "package-info.java" and cls not in mutated:
                found.append(cls)
    return found


def main(argv):
    markdown = "--markdown" in argv
    dirs = [a for a in argv if not a.startswith("--")] or [",".join(os.path.join(ROOT, d) for d in DEFAULT_REPORTS)]
    merged = []
    for number, run in enumerate(dirs, 1):
        found = []
        for d in run.lstrip("+").split(","):
            ms = mutants(d)
            label = os.path.relpath(os.path.abspath(d), ms[0][5] if ms else ROOT)
            print("run %d%s: %s: %d mutants, %s" % (number, " (+ the runs before)" if run.startswith("+") else "",
                                                   label, len(ms), dict(collections.Counter(m[4] for m in ms))))
            found += ms
        if run.startswith("+"):
            merged = union(merged, found)
            continue
        # a later run replaces every top-level class it mutated, and drops those its checkout no longer has
        redone = {top_class(m[0]) for m in found}
        roots = {m[5] for m in found}
        merged = [m for m in merged if top_class(m[0]) not in redone
                  and any(os.path.exists(source_path(m[0], r)) for r in roots)] + found
    everything = merged
    total = collections.Counter(m[4] for m in everything)
    rows = [m for m in everything if m[4] in ("SURVIVED", "NO_COVERAGE")]
    n = len(everything)
    detected = n - total["SURVIVED"] - total["NO_COVERAGE"]
    print("together: %d mutants, %d detected (killed %d, timed out %d, other %d): mutation score %.1f%%"
          % (n, detected, total["KILLED"], total["TIMED_OUT"], detected - total["KILLED"] - total["TIMED_OUT"],
             100.0 * detected / max(1, n)))
    by_reason = collections.Counter(reason(c, m, d, line, root) for c, m, line, d, _, root, _ in rows)
    for why, k in by_reason.most_common():
        print("%4d  %s" % (k, why))
    never = never_mutated({top_class(m[0]) for m in everything})
    if never:
        print("classes of these packages that no run mutated (added since, or nothing to mutate): " + ", ".join(
            c.replace("org.cnn4j.", "") for c in never))
    print()
    if markdown:
        print("| class | line | method | mutant | status | why it is accepted |")
        print("|---|---|---|---|---|---|")
    for c, m, line, d, status, root, _ in sorted(rows):
        why = reason(c, m, d, line, root)
        short = c.replace("org.cnn4j.", "")
        if markdown:
            print("| %s | %d | %s | %s | %s | %s |" % (short, line, m.replace("$", "\\$"), d, status, why))
        else:
            print("%s:%d %s: %s [%s] -- %s" % (short, line, m, d, status, why))


if __name__ == "__main__":
    main(sys.argv[1:])
