#!/usr/bin/env python3
"""Independent reference implementation of `binku evaluate` (numpy + scipy only).

Same method as ../shared/formats/evaluation.md, written separately from the
TypeScript code and on purpose with different algorithms: VEP regressions by
numpy.linalg.lstsq on sqrt-weighted data, the multinomial logit by
scipy.optimize (Newton-CG with analytic gradient and Hessian), radius matching
by brute-force distance matrices (no sorting), SEs/balance from the formulas.

Usage: python3 scripts/evaluate_reference.py FILE.csv [--poverty-line 4000] [--caliper 0.05] > ref.json
Prints one JSON document with the fields the TypeScript output is compared on.
"""
import argparse
import csv
import json
import math
import sys

import numpy as np
from scipy import optimize, stats

GROUPS = ["I", "II", "III", "IV"]
TREATED = ["II", "III", "IV"]
OUTCOMES = ["vep", "wage_business_share", "work_willing"]
XVARS = ["head_age", "head_edu_years", "head_healthy", "head_party", "hh_size", "working_age_share",
         "ln_expense_pc", "medical_share", "ln_fin_assets_pc", "unsafe_water", "central", "west"]
BALANCE = XVARS + ["ln_income_pc"]


def load(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    num = lambda k: np.array([float(r[k]) for r in rows])
    d = {k: num(k) for k in ["prm", "lip", "head_age", "head_edu_years", "head_healthy", "head_party", "hh_size",
                             "working_age_share", "income_pc", "expense_pc", "medical_share", "fin_assets_pc",
                             "unsafe_water", "wage_business_share", "work_willing"]}
    region = [r["region"].strip().lower() for r in rows]
    d["central"] = np.array([1.0 if x == "central" else 0.0 for x in region])
    d["west"] = np.array([1.0 if x == "west" else 0.0 for x in region])
    d["ln_expense_pc"] = np.log(d["expense_pc"])
    d["ln_fin_assets_pc"] = np.log1p(d["fin_assets_pc"])
    d["ln_income_pc"] = np.log(d["income_pc"])
    g = np.where(d["prm"] == 1, np.where(d["lip"] == 1, 3, 1), np.where(d["lip"] == 1, 2, 0))
    return d, g


def wls(X, y, w=None):
    if w is None:
        w = np.ones(len(y))
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(X * sw[:, None], y * sw, rcond=None)
    return beta


def vep(X, lny, z):
    e = lny - X @ wls(X, lny)
    e2 = e * e
    s0 = np.maximum(X @ wls(X, e2), 1e-6)
    sigma2 = np.maximum(X @ wls(X, e2, 1.0 / s0 ** 2), 1e-6)
    beta = wls(X, lny, 1.0 / sigma2)
    return stats.norm.cdf((math.log(z) - X @ beta) / np.sqrt(sigma2))


def mlogit(X, g, J=4):
    n, p = X.shape
    Y = np.zeros((n, J))
    Y[np.arange(n), g] = 1.0

    def probs(b):
        eta = np.column_stack([np.zeros(n), X @ b.reshape(J - 1, p).T])
        eta -= eta.max(axis=1, keepdims=True)
        P = np.exp(eta)
        return P / P.sum(axis=1, keepdims=True), eta

    def f(b):
        P, eta = probs(b)
        lse = np.log(np.exp(eta).sum(axis=1))
        return -np.sum(eta[np.arange(n), g] - lse)

    def grad(b):
        P, _ = probs(b)
        return -((Y - P)[:, 1:].T @ X).ravel()

    def hess(b):
        P, _ = probs(b)
        H = np.zeros(((J - 1) * p, (J - 1) * p))
        for j in range(1, J):
            for k in range(1, J):
                w = P[:, j] * ((1.0 if j == k else 0.0) - P[:, k])
                H[(j - 1) * p:j * p, (k - 1) * p:k * p] = (X * w[:, None]).T @ X
        return H

    res = optimize.minimize(f, np.zeros((J - 1) * p), jac=grad, hess=hess, method="Newton-CG",
                            options={"xtol": 1e-12, "maxiter": 500})
    P, _ = probs(res.x)
    return P, -res.fun, float(np.abs(grad(res.x)).max())


def match(eT, eC, caliper):
    """Brute force: every control within |Δe| <= caliper."""
    W = np.zeros((len(eT), len(eC)))
    for s in range(0, len(eT), 512):
        D = np.abs(eT[s:s + 512, None] - eC[None, :]) <= caliper
        W[s:s + 512] = D
    k = W.sum(axis=1)
    on = k > 0
    W[on] /= k[on, None]
    return W, on


def wttest(xT, xC, wC):
    """Weighted regression of x on a treated dummy, aweights normalized to n (df = n - 2)."""
    keep = wC > 0
    x = np.concatenate([xT, xC[keep]])
    w = np.concatenate([np.ones(len(xT)), wC[keep]])
    t = np.concatenate([np.ones(len(xT)), np.zeros(keep.sum())])
    n = len(x)
    w = w * n / w.sum()
    X = np.column_stack([np.ones(n), t])
    sw = np.sqrt(w)
    b, *_ = np.linalg.lstsq(X * sw[:, None], x * sw, rcond=None)
    r = x - X @ b
    s2 = np.sum(w * r * r) / (n - 2)
    cov = s2 * np.linalg.inv((X * w[:, None]).T @ X)
    se = math.sqrt(max(cov[1, 1], 0.0))
    if se <= 1e-12 * max(1.0, abs(x).max()):
        return 1.0 if abs(b[1]) < 1e-12 else 0.0
    return float(2 * stats.t.sf(abs(b[1] / se), n - 2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--poverty-line", type=float, default=4000.0)
    ap.add_argument("--caliper", type=float, default=0.05)
    a = ap.parse_args()
    d, g = load(a.file)
    n = len(g)
    X = np.column_stack([np.ones(n)] + [d[v] for v in XVARS])
    v = vep(X, d["ln_income_pc"], a.poverty_line)
    Xm = np.column_stack([X, d["ln_income_pc"]])
    P, ll, gmax = mlogit(Xm, g)
    y = {"vep": v, "wage_business_share": d["wage_business_share"], "work_willing": d["work_willing"]}
    out = {"n": n, "poverty_line": a.poverty_line, "caliper": a.caliper,
           "groups": {G: {"n": int((g == i).sum()), "vep_mean": float(v[g == i].mean())} for i, G in enumerate(GROUPS)},
           "mlogit": {"log_likelihood": ll, "gradient_max_abs": gmax},
           "off_support": {}, "att": {}, "balance": {}}
    C = g == 0
    for gi, G in enumerate(GROUPS):
        if gi == 0:
            continue
        T = g == gi
        e = P[:, gi] / (P[:, gi] + P[:, 0])
        W, on = match(e[T], e[C], a.caliper)
        NT = int(on.sum())
        wj = W[on].sum(axis=0)
        out["off_support"][G] = int((~on).sum())
        out["att"][G] = {}
        for o in OUTCOMES:
            yT, yC = y[o][T][on], y[o][C]
            att = yT.mean() - (wj @ yC) / NT
            se = math.sqrt(np.var(yT, ddof=1) / NT + np.sum(wj ** 2) * np.var(yC[wj > 0], ddof=1) / NT ** 2)
            out["att"][G][o] = {"att": float(att), "se": se, "n_treated": NT, "n_matched_controls": int((wj > 0).sum())}
        rowsb = []
        for var in BALANCE:
            xT_all, xC = d[var][T], d[var][C]
            xT = xT_all[on]
            sd = math.sqrt((np.var(xT_all, ddof=1) + np.var(xC, ddof=1)) / 2)
            tm, cm = xT.mean(), (wj @ xC) / NT
            rowsb.append({"variable": var, "treated": float(tm), "control": float(cm),
                          "std_bias": float(100 * (tm - cm) / sd) if sd > 0 else 0.0, "p": wttest(xT, xC, wj)})
        out["balance"][G] = rowsb
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
