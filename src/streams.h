// Random streams of parallel draws: each block of draws (a bootstrap draw, a chunk of
// wild-bootstrap weights, a block of posterior draws) has its own engine, seeded from the
// one seed taken from R's generator and the block's number, so that the numbers do not
// depend on the number of threads or on the order in which blocks run.
#ifndef DIGIMATURITY_STREAMS_H
#define DIGIMATURITY_STREAMS_H

#include <cstdint>

namespace dm {

// SplitMix64 (Steele, Lea & Flood 2014): a well-mixed 64-bit value from any 64-bit value.
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// The seed of block `block`'s engine, from the run's seed.
inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t block) {
  return splitmix64(seed ^ splitmix64(block + 1));
}

}  // namespace dm

#endif
