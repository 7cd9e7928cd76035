/**
 * Vulnerability to expected poverty (VEP, 贫困脆弱性), Chaudhuri–Jalan–
 * Suryahadi (2002) three-step FGLS, one pass, exactly as evaluation.md writes it:
 *   a. OLS ln y on X → ê
 *   b. OLS ê² on X → θ₀; s₀ = max(Xθ₀, 1e-6)
 *   c. WLS ê² on X, weights 1/s₀² → θ; σ² = max(Xθ, 1e-6)
 *   d. WLS ln y on X, weights 1/σ² → β
 *   VEP = Φ((ln z − Xβ)/σ)
 */
import { predict, wls, type Design } from './linalg.ts';
import { normalCdf } from './stats.ts';

export interface VepResult {
  vep: Float64Array;
  beta: Float64Array;
  theta: Float64Array;
  /** Fitted variance σ̂² per household. */
  sigma2: Float64Array;
}

const FLOOR = 1e-6;

export function estimateVep(d: Design, lnIncome: ArrayLike<number>, povertyLine: number): VepResult {
  const n = d.n;
  const b0 = wls(d, lnIncome);
  const fit0 = predict(d, b0);
  const e2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = lnIncome[i]! - fit0[i]!;
    e2[i] = e * e;
  }
  const theta0 = wls(d, e2);
  const s0 = predict(d, theta0);
  const w1 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.max(s0[i]!, FLOOR);
    w1[i] = 1 / (s * s);
  }
  const theta = wls(d, e2, w1);
  const sigma2 = predict(d, theta);
  const w2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sigma2[i] = Math.max(sigma2[i]!, FLOOR);
    w2[i] = 1 / sigma2[i]!;
  }
  const beta = wls(d, lnIncome, w2);
  const mu = predict(d, beta);
  const lnz = Math.log(povertyLine);
  const vep = new Float64Array(n);
  for (let i = 0; i < n; i++) vep[i] = normalCdf((lnz - mu[i]!) / Math.sqrt(sigma2[i]!));
  return { vep, beta, theta, sigma2 };
}
