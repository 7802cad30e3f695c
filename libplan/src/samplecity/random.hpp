#pragma once
// The generator's own random numbers: splitmix64 to seed, xoshiro256** to draw.
// std:: distributions are avoided on purpose: their output differs between
// standard-library versions, and the sample city must come out the same on
// every machine for a given seed.
#include <cstdint>
#include <vector>

namespace plan::samplecity {

class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        std::uint64_t x = seed;
        for (auto& s : state_) s = splitmix(x);
    }
    /// An independent stream for one part of the city, so that adding draws in
    /// one part does not shift the numbers of another.
    Rng fork(std::uint64_t salt) const { return Rng(state_[0] ^ (salt * 0x9E3779B97F4A7C15ULL) ^ state_[3]); }

    std::uint64_t next() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }
    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Uniform integer in [lo, hi] (multiply-shift, no modulo bias worth caring about here).
    int integer(int lo, int hi) {
        const auto span = static_cast<std::uint64_t>(hi - lo + 1);
        return lo + static_cast<int>((next() >> 32) * span >> 32);
    }
    bool chance(double p) { return uniform() < p; }
    /// Approximately standard normal (Irwin-Hall sum of 12 uniforms): only + and -,
    /// so identical everywhere.
    double normal() {
        double s = 0.0;
        for (int i = 0; i < 12; ++i) s += uniform();
        return s - 6.0;
    }
    template <class T> const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(integer(0, static_cast<int>(v.size()) - 1))]; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::uint64_t state_[4];
};

} // namespace plan::samplecity
