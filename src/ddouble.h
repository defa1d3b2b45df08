// Double-double arithmetic (about 106 bits): the portable extended precision of the QR
// path where neither __float128 nor a long double wider than double exists.
#ifndef DIGIMATURITY_DDOUBLE_H
#define DIGIMATURITY_DDOUBLE_H

#include <cmath>

namespace dm {

// Error-free transformations (Knuth's TwoSum, Dekker's TwoProduct). With a hardware
// fused multiply-add the product's error term comes from fma; otherwise from Veltkamp's
// split, which needs no fma and stays exact if the compiler contracts a*b-p into one.
inline void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

inline void quick_two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  e = b - (s - a);
}

inline void two_prod(double a, double b, double& p, double& e) {
  p = a * b;
#ifdef FP_FAST_FMA
  e = std::fma(a, b, -p);
#else
  constexpr double kSplit = 134217729.0;  // 2^27 + 1
  double t = kSplit * a;
  const double ah = t - (t - a), al = a - ah;
  t = kSplit * b;
  const double bh = t - (t - b), bl = b - bh;
  e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
#endif
}

// An unevaluated sum hi + lo with |lo| <= ulp(hi) / 2.
struct ddouble {
  double hi = 0, lo = 0;
  ddouble() = default;
  ddouble(double x) : hi(x), lo(0) {}  // NOLINT: implicit, like a built-in float type
  ddouble(int x) : hi(x), lo(0) {}     // NOLINT
  ddouble(double h, double l) : hi(h), lo(l) {}
  explicit operator double() const { return hi + lo; }

  friend ddouble operator+(const ddouble& a, const ddouble& b) {
    double s, e, t, f;
    two_sum(a.hi, b.hi, s, e);
    two_sum(a.lo, b.lo, t, f);
    e += t;
    quick_two_sum(s, e, s, e);
    e += f;
    quick_two_sum(s, e, s, e);
    return {s, e};
  }
  friend ddouble operator-(const ddouble& a) { return {-a.hi, -a.lo}; }
  friend ddouble operator-(const ddouble& a, const ddouble& b) { return a + (-b); }
  friend ddouble operator*(const ddouble& a, const ddouble& b) {
    double p, e;
    two_prod(a.hi, b.hi, p, e);
    e += a.hi * b.lo + a.lo * b.hi;
    quick_two_sum(p, e, p, e);
    return {p, e};
  }
  friend ddouble operator/(const ddouble& a, const ddouble& b) {
    // three quotient digits, each corrected with the exact remainder
    const double q1 = a.hi / b.hi;
    ddouble r = a - b * ddouble(q1);
    const double q2 = r.hi / b.hi;
    r = r - b * ddouble(q2);
    const double q3 = r.hi / b.hi;
    double s, e;
    quick_two_sum(q1, q2, s, e);
    return ddouble(s, e) + ddouble(q3);
  }
  ddouble& operator+=(const ddouble& b) { return *this = *this + b; }
  ddouble& operator-=(const ddouble& b) { return *this = *this - b; }
  ddouble& operator*=(const ddouble& b) { return *this = *this * b; }
  ddouble& operator/=(const ddouble& b) { return *this = *this / b; }

  friend bool operator<(const ddouble& a, const ddouble& b) {
    return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
  }
  friend bool operator>(const ddouble& a, const ddouble& b) { return b < a; }
  friend bool operator<=(const ddouble& a, const ddouble& b) { return !(b < a); }
  friend bool operator>=(const ddouble& a, const ddouble& b) { return !(a < b); }
  friend bool operator==(const ddouble& a, const ddouble& b) {
    return a.hi == b.hi && a.lo == b.lo;
  }
  friend bool operator!=(const ddouble& a, const ddouble& b) { return !(a == b); }
};

// Sum of products sum_a x[a] * (hi[a] + lo[a]) accumulated in double-double.
struct DdAccumulator {
  double s = 0, c = 0;  // running sum s + c
  void add_product(double x, double hi, double lo) {
    double p, e, t, f;
    two_prod(x, hi, p, e);
    e += x * lo;
    two_sum(s, p, t, f);
    c += f + e;
    s = t;
  }
  double value() const { return s + c; }
};

}  // namespace dm

#endif
