"""The Python side of the agreement benchmark: the same CSV, the same coefficients, with the usual libraries.

Usage: python3 agreement_python.py RATINGS.csv
Loads the long CSV with pandas, then computes what `blindreview agreement --level ordinal` reports that these
libraries offer: Fleiss' kappa (statsmodels), pairwise Cohen's kappa unweighted/linear/quadratic
(scikit-learn), Krippendorff's alpha nominal/ordinal/interval/ratio (krippendorff). Prints the seconds taken.
"""
import itertools
import sys
import time

start = time.perf_counter()
import numpy as np
import pandas as pd
import krippendorff
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

frame = pd.read_csv(sys.argv[1], dtype={"item": str, "rater": str})
wide = frame.pivot(index="item", columns="rater", values="value")
matrix = wide.to_numpy(dtype=float)

complete = matrix[~np.isnan(matrix).any(axis=1)].astype(int)
table, _ = aggregate_raters(complete)
results = {"fleiss_kappa": fleiss_kappa(table)}
for a, b in itertools.combinations(range(matrix.shape[1]), 2):
    both = ~np.isnan(matrix[:, a]) & ~np.isnan(matrix[:, b])
    x, y = matrix[both, a].astype(int), matrix[both, b].astype(int)
    for weights in (None, "linear", "quadratic"):
        results[f"cohen_{a}_{b}_{weights}"] = cohen_kappa_score(x, y, weights=weights)
for level in ("nominal", "ordinal", "interval", "ratio"):
    results[f"alpha_{level}"] = krippendorff.alpha(reliability_data=matrix.T, level_of_measurement=level)
elapsed = time.perf_counter() - start
print(f"python: {elapsed:.3f} s  (fleiss {results['fleiss_kappa']:.4f}, alpha ordinal {results['alpha_ordinal']:.4f})")
