#include "text_width.hpp"

#include <cstdint>

namespace plan::detail {
namespace {

bool wide(std::uint32_t c) {
    return (c >= 0x1100 && c <= 0x115F) ||   // Hangul Jamo
           (c >= 0x2E80 && c <= 0x303E) ||   // CJK radicals, Kangxi, CJK symbols and punctuation
           (c >= 0x3041 && c <= 0x33FF) ||   // kana, bopomofo, CJK compatibility
           (c >= 0x3400 && c <= 0x4DBF) ||   // CJK extension A
           (c >= 0x4E00 && c <= 0x9FFF) ||   // CJK unified ideographs
           (c >= 0xA000 && c <= 0xA4CF) ||   // Yi
           (c >= 0xAC00 && c <= 0xD7A3) ||   // Hangul syllables
           (c >= 0xF900 && c <= 0xFAFF) ||   // CJK compatibility ideographs
           (c >= 0xFE30 && c <= 0xFE4F) ||   // CJK compatibility forms
           (c >= 0xFF00 && c <= 0xFF60) ||   // full-width forms
           (c >= 0xFFE0 && c <= 0xFFE6) ||   // full-width signs
           (c >= 0x20000 && c <= 0x3FFFD);   // CJK extensions B..
}

} // namespace

int display_width(std::string_view s) {
    int w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
        if (i + static_cast<std::size_t>(len) > s.size()) len = 1;
        std::uint32_t c = len == 1 ? b : (b & (0xFF >> (len + 1)));
        for (int k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        w += (len > 1 && wide(c)) ? 2 : 1;
        i += static_cast<std::size_t>(len);
    }
    return w;
}

std::string pad_right(std::string_view text, int width) {
    std::string out(text);
    for (int w = display_width(text); w < width; ++w) out += ' ';
    return out;
}

std::string pad_left(std::string_view text, int width) {
    std::string out;
    for (int w = display_width(text); w < width; ++w) out += ' ';
    out += text;
    return out;
}

} // namespace plan::detail
