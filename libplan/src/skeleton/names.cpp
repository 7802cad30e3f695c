// Road-name normalisation: the same road is written 青年路, 青年路东段,
// 青年路(东段), 青年路（东段） or with full-width letters and stray spaces.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "plan/skeleton.hpp"

namespace plan {
namespace {

std::vector<char32_t> decode(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + static_cast<std::size_t>(n) > s.size()) { // not UTF-8: keep the byte as is
            out.push_back(c);
            ++i;
            continue;
        }
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(n);
    }
    return out;
}

std::string encode(const std::vector<char32_t>& cps) {
    std::string out;
    for (char32_t cp : cps) {
        if (cp < 0x80) out += static_cast<char>(cp);
        else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    return out;
}

// Full-width forms to ASCII, CJK brackets to ASCII parentheses, every space
// (ASCII, ideographic U+3000, no-break) dropped, ASCII letters lower-cased.
std::vector<char32_t> fold(std::string_view name) {
    std::vector<char32_t> out;
    for (char32_t cp : decode(name)) {
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
        switch (cp) {
        case U'【': case U'〔': case U'〖': case U'［': case U'[': case U'{': cp = U'('; break;
        case U'】': case U'〕': case U'〗': case U'］': case U']': case U'}': cp = U')'; break;
        default: break;
        }
        if (cp == U' ' || cp == U'\t' || cp == 0x3000 || cp == 0xA0 || cp == U'\r' || cp == U'\n') continue;
        if (cp >= U'A' && cp <= U'Z') cp += 32;
        out.push_back(cp);
    }
    return out;
}

bool ends_with(const std::vector<char32_t>& s, std::u32string_view suffix) {
    return s.size() >= suffix.size() && std::u32string_view(s.data() + s.size() - suffix.size(), suffix.size()) == suffix;
}

bool is_digit_cp(char32_t c) {
    static constexpr std::u32string_view kChineseDigits = U"一二三四五六七八九十";
    return (c >= U'0' && c <= U'9') || kChineseDigits.find(c) != std::u32string_view::npos;
}

// Strips one trailing section suffix: 东段/西段/南段/北段/中段, 东延/西延...,
// or a numbered section (一段, 二段, 3段, 第二段). Returns false when none.
bool strip_section(std::vector<char32_t>& s) {
    static constexpr std::array<std::u32string_view, 10> kSuffixes{U"东段", U"西段", U"南段", U"北段", U"中段",
                                                                  U"东延", U"西延", U"南延", U"北延", U"延长线"};
    for (auto suf : kSuffixes)
        if (ends_with(s, suf) && s.size() > suf.size()) {
            s.resize(s.size() - suf.size());
            return true;
        }
    if (s.size() >= 3 && s.back() == U'段' && is_digit_cp(s[s.size() - 2])) {
        std::size_t k = s.size() - 1;
        while (k > 0 && is_digit_cp(s[k - 1])) --k;
        if (k > 0 && s[k - 1] == U'第') --k;
        if (k == 0) return false;
        s.resize(k);
        return true;
    }
    return false;
}

// Removes every bracketed part "(…)", including unbalanced trailing ones.
std::vector<char32_t> drop_brackets(const std::vector<char32_t>& s) {
    std::vector<char32_t> out;
    int depth = 0;
    for (char32_t c : s) {
        if (c == U'(' ) { ++depth; continue; }
        if (c == U')') { if (depth > 0) --depth; continue; }
        if (depth == 0) out.push_back(c);
    }
    return out.empty() ? s : out;
}

} // namespace

std::string normalise_road_name(std::string_view name) {
    std::vector<char32_t> s = drop_brackets(fold(name));
    while (strip_section(s)) {
    }
    return encode(s);
}

bool is_side_road_or_ramp_name(std::string_view name) {
    // Checked before brackets are dropped: 青年路(辅路) is a side road.
    std::vector<char32_t> s = fold(name);
    std::vector<char32_t> plain;
    for (char32_t c : s)
        if (c != U'(' && c != U')') plain.push_back(c);
    for (std::u32string_view marker : {std::u32string_view(U"辅路"), std::u32string_view(U"匝道")}) {
        auto it = std::search(plain.begin(), plain.end(), marker.begin(), marker.end());
        if (it != plain.end()) return true;
    }
    return false;
}

} // namespace plan
