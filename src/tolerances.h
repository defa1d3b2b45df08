// The numerical tolerances of the core, named in one place. Each says what it compares;
// all are relative (to one, for quantities that live in [0, 1] in whitened
// coordinates, or to the largest magnitude in the comparison).
#ifndef DIGIMATURITY_TOLERANCES_H
#define DIGIMATURITY_TOLERANCES_H

namespace dm {
namespace tol {

// A leverage h_i, or an eigenvalue of a cluster's block P_g = Z_g'Z_g (both in [0, 1]),
// counts as one when 1 - h <= this: the robust variance (HC2/HC3, CR2/CR3) is
// undefined in that direction, and the jackknife uses the pseudo-inverse.
constexpr double kLeverageOne = 1e-10;

// Eigenvalues of a CR2 adjustment matrix G_g = I - H_gg (in [0, 1]) at or below this
// count as zero in G_g^{-1/2} (pseudo-inverse square root, clubSandwich's rule).
constexpr double kCr2Eigen = 1e-12;

// Rank cut relative to the largest eigenvalue: the basis of range(B) in the low-rank CR2
// case, and the symmetric inverse square root of the HTZ normalisation.
constexpr double kRelativeRank = 1e-12;

// Non-zero spectrum of Z_g Z_g' (n_g < k): eigenvalues at or below this times
// max(largest, 1) are zero.
constexpr double kClusterSpectrum = 1e-14;

// A coefficient's variance loads on an undefined (whitened, unit) direction when its
// component exceeds this times the norm of its row of R^{-1}.
constexpr double kUndefinedLoad = 1e-7;

// The expanded Satterthwaite sum of squares is recomputed in double-double when it is
// smaller than this fraction of the magnitudes of its terms (about 11 digits kept).
constexpr double kDfCancellation = 1e-5;

// All-subsets R^2 (importance.cpp): a column whose variance left after the columns
// before it is at or below this fraction of its own variance is collinear and skipped.
constexpr double kCollinear = 1e-10;

// REML of the one-way random-intercept model (benchmark.cpp): golden sections stop when the
// bracket of theta = tau / sigma (weights scaled to mean one) is below this times 1 + theta.
constexpr double kRemlTheta = 1e-11;
// Polychoric correlations (polychoric.cpp): Newton's method on the correlation stops when
// its step (or the bracket around the maximum) is at or below this; the step converges
// quadratically, so the estimate is then exact to about the square of it.
constexpr double kPolychoricStep = 1e-10;
// Calibration of weights (calibrate.cpp): in the pseudo-inverse of the Newton matrix
// X' diag(d F') X, singular values at or below this times the largest count as zero (the
// rule of survey's grake(): 256 machine epsilons, relative). Redundant auxiliaries (a
// margin implied by others) then cost nothing.
constexpr double kCalibratePinv = 256 * 2.220446049250313e-16;

}  // namespace tol
}  // namespace dm

#endif
