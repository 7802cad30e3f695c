#include "io/encoding.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>

#include <iconv.h>

#include "plan/error.hpp"

namespace plan::detail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence starting at s[i] (Unicode table 3-7:
// no overlong forms, no surrogates, nothing above U+10FFFF), 0 when ill-formed.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    const std::size_t left = s.size() - i;
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return left >= 2 && continuation(byte(i + 1)) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (left < 3) return 0;
        const unsigned char second = byte(i + 1);
        const bool second_ok = lead == 0xE0   ? (second >= 0xA0 && second <= 0xBF)
                               : lead == 0xED ? (second >= 0x80 && second <= 0x9F)
                                              : continuation(second);
        return second_ok && continuation(byte(i + 2)) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (left < 4) return 0;
        const unsigned char second = byte(i + 1);
        const bool second_ok = lead == 0xF0   ? (second >= 0x90 && second <= 0xBF)
                               : lead == 0xF4 ? (second >= 0x80 && second <= 0x8F)
                                              : continuation(second);
        return second_ok && continuation(byte(i + 2)) && continuation(byte(i + 3)) ? 4 : 0;
    }
    return 0;
}

// UTF-8 to UTF-8 with each ill-formed byte replaced, matching is_valid_utf8
// exactly (iconv's own checks differ between C libraries).
std::string repair_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (const std::size_t n = utf8_sequence_length(s, i)) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out.append(kReplacement);
            ++i;
        }
    }
    return out;
}

struct IconvClose {
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvHandle = std::unique_ptr<void, IconvClose>;

std::string trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

} // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_sequence_length(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string normalise_charset(const std::string& name) {
    std::string key = upper(trimmed(name));
    // .cpg files and ESRI tools write "ANSI 1252", "Windows-1252", "CP 936".
    for (const std::string_view prefix : {"ANSI", "WINDOWS", "CP", "MS"}) {
        if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0) {
            std::string rest = trimmed(std::string_view(key).substr(prefix.size()));
            if (!rest.empty() && (rest[0] == '-' || rest[0] == '_')) rest.erase(0, 1);
            if (all_digits(rest)) {
                key = rest;
                break;
            }
        }
    }
    if (key.empty()) return {};
    if (key == "UTF8" || key == "UTF-8" || key == "65001") return "UTF-8";
    // GB18030 is a superset of GBK, CP936 and GB2312, so one decoder serves all.
    if (key == "GBK" || key == "936" || key == "GB2312" || key == "GB_2312-80" || key == "EUC-CN" || key == "EUCCN" ||
        key == "GB18030" || key == "54936" || key == "GB-18030")
        return "GB18030";
    if (key == "BIG5" || key == "BIG-5" || key == "950") return "BIG5";
    if (key == "SJIS" || key == "SHIFT_JIS" || key == "SHIFT-JIS" || key == "932") return "CP932";
    if (key == "949" || key == "UHC") return "CP949";
    if (key == "LATIN1" || key == "LATIN-1" || key == "88591" || key == "8859_1" || key == "ISO8859-1" ||
        key == "ISO88591" || key == "ISO-8859-1" || key == "ISO_8859-1")
        return "ISO-8859-1";
    if (key == "ASCII" || key == "US-ASCII" || key == "20127") return "ASCII";
    if (all_digits(key) && key.size() == 3) return "CP" + key;                                 // 437, 850, 866 ...
    if (all_digits(key) && key.size() == 4 && key.compare(0, 3, "125") == 0) return "CP" + key; // 1250 .. 1258
    if (all_digits(key) && key.size() >= 5 && key.compare(0, 4, "8859") == 0) return "ISO-8859-" + key.substr(4); // 88592
    if (key.compare(0, 5, "8859_") == 0 || key.compare(0, 5, "8859-") == 0) return "ISO-8859-" + key.substr(5);
    return key;
}

std::string to_utf8(std::string_view bytes, const std::string& from_charset) {
    const std::string charset = normalise_charset(from_charset);
    if (charset.empty())
        throw input_error("no text encoding given", {}, "name one such as UTF-8, GB18030 or CP1252");
    errno = 0;
    IconvHandle cd(iconv_open("UTF-8", charset.c_str()));
    if (cd.get() == reinterpret_cast<void*>(static_cast<std::intptr_t>(-1))) {
        cd.release(); // iconv_open failed: nothing to close
        throw input_error("unknown text encoding '" + from_charset + "'", {},
                          "name one such as UTF-8, GB18030 or CP1252 (`iconv -l` lists them)");
    }
    if (charset == "UTF-8") return repair_utf8(bytes);

    const auto handle = static_cast<iconv_t>(cd.get());
    std::string out;
    out.reserve(bytes.size() * 3 / 2);
    // iconv's interface takes char** for its input although it never writes it.
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    std::array<char, 4096> buffer{};
    const auto drain = [&](char* end) { out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data())); };
    while (in_left > 0) {
        char* o = buffer.data();
        std::size_t o_left = buffer.size();
        const std::size_t r = iconv(handle, &in, &in_left, &o, &o_left);
        drain(o);
        if (r != static_cast<std::size_t>(-1) || errno == E2BIG) continue;
        // EILSEQ (an invalid sequence) or EINVAL (truncated at the end): one
        // replacement character per bad byte, then carry on from the next one.
        out.append(kReplacement);
        ++in;
        --in_left;
        iconv(handle, nullptr, nullptr, nullptr, nullptr); // reset shift state
    }
    char* o = buffer.data();
    std::size_t o_left = buffer.size();
    iconv(handle, nullptr, nullptr, &o, &o_left); // flush a stateful encoding
    drain(o);
    return out;
}

std::string from_utf8(std::string_view utf8, const std::string& to_charset) {
    const std::string charset = normalise_charset(to_charset);
    if (charset.empty() || charset == "UTF-8") return std::string(utf8);
    IconvHandle cd(iconv_open(charset.c_str(), "UTF-8"));
    if (cd.get() == reinterpret_cast<void*>(static_cast<std::intptr_t>(-1))) {
        cd.release();
        throw input_error("unknown text encoding '" + to_charset + "'", {},
                          "name one such as UTF-8, GB18030 or CP1252 (`iconv -l` lists them)");
    }
    const auto handle = static_cast<iconv_t>(cd.get());
    std::string out;
    char* in = const_cast<char*>(utf8.data());
    std::size_t in_left = utf8.size();
    std::array<char, 4096> buffer{};
    while (in_left > 0) {
        char* o = buffer.data();
        std::size_t o_left = buffer.size();
        errno = 0;
        const std::size_t r = iconv(handle, &in, &in_left, &o, &o_left);
        out.append(buffer.data(), static_cast<std::size_t>(o - buffer.data()));
        if (r == static_cast<std::size_t>(-1) && errno != E2BIG)
            throw input_error("the text '" + std::string(utf8) + "' cannot be written in " + charset, {},
                              "use characters that the source's encoding has");
    }
    char* o = buffer.data();
    std::size_t o_left = buffer.size();
    iconv(handle, nullptr, nullptr, &o, &o_left);
    out.append(buffer.data(), static_cast<std::size_t>(o - buffer.data()));
    return out;
}

std::string detect_encoding(const std::vector<std::string>& samples) {
    const bool utf8 = std::all_of(samples.begin(), samples.end(), [](const std::string& s) { return is_valid_utf8(s); });
    return utf8 ? "UTF-8" : "GB18030";
}

int dbf_language_id(const std::string& dbf_path) {
    std::ifstream in(dbf_path, std::ios::binary);
    if (!in) return -1;
    std::array<char, 32> header{};
    in.read(header.data(), header.size());
    if (in.gcount() != static_cast<std::streamsize>(header.size())) return -1;
    return static_cast<unsigned char>(header[29]);
}

std::string read_cpg(const std::string& shp_or_dbf_path) {
    namespace fs = std::filesystem;
    for (const char* extension : {".cpg", ".CPG", ".Cpg"}) {
        fs::path cpg(shp_or_dbf_path);
        cpg.replace_extension(extension);
        std::error_code ec;
        if (!fs::is_regular_file(cpg, ec)) continue;
        std::ifstream in(cpg, std::ios::binary);
        if (!in) continue;
        std::string text(256, '\0'); // a code page name; more is not a .cpg
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
        if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
        return trimmed(text);
    }
    return {};
}

} // namespace plan::detail
