#!/usr/bin/env sh
# Per-class and total PIT figures from a mutations.csv (profile pit writes target/pit-reports*/mutations.csv).
#   scripts/pit-figures.sh functions/ben-sender/target/pit-reports/mutations.csv [class-regex]
# Columns: mutants, killed (incl. timed out / memory / run errors), survived, no coverage,
# mutation score = killed / mutants, test strength = killed / (killed + survived).
set -eu
csv=$1
filter=${2:-.}
awk -F, -v filter="$filter" '
  $2 ~ filter {
    c = $2; sub(/\$.*/, "", c)          # nested and lambda classes count for their top-level class
    n[c]++
    if ($6 == "KILLED" || $6 == "TIMED_OUT" || $6 == "MEMORY_ERROR" || $6 == "RUN_ERROR") k[c]++
    else if ($6 == "SURVIVED") s[c]++
    else if ($6 == "NO_COVERAGE") u[c]++
  }
  END {
    printf "| %-50s | %7s | %6s | %8s | %8s | %6s | %8s |\n", "class", "mutants", "killed", "survived", "no cover", "score", "strength"
    printf "|%s|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------------------", "--------:", "-------:", "---------:", "---------:", "-------:", "---------:"
    for (c in n) {
      line[c] = sprintf("| %-50s | %7d | %6d | %8d | %8d | %5.1f %% | %6s |", c, n[c], k[c], s[c], u[c], 100 * k[c] / n[c],
        (k[c] + s[c]) ? sprintf("%5.1f %%", 100 * k[c] / (k[c] + s[c])) : "-")
      N += n[c]; K += k[c]; S += s[c]; U += u[c]
    }
    m = 0; for (c in line) keys[++m] = c
    for (i = 2; i <= m; i++) { v = keys[i]; j = i - 1; while (j > 0 && keys[j] > v) { keys[j + 1] = keys[j]; j-- } keys[j + 1] = v }
    for (i = 1; i <= m; i++) print line[keys[i]]
    if (N) printf "| %-50s | %7d | %6d | %8d | %8d | %5.1f %% | %5.1f %% |\n", "**total**", N, K, S, U, 100 * K / N, (K + S) ? 100 * K / (K + S) : 0
  }' "$csv"
