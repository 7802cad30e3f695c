#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "io/encoding.hpp"
#include "plan/error.hpp"
#include "test_support.hpp"

using namespace plan;
using namespace plan::detail;

namespace {

// 南京路 in GBK (= GB18030 for these characters) and in UTF-8.
const std::string kNanjingLuGbk = "\xC4\xCF\xBE\xA9\xC2\xB7";
const std::string kNanjingLuUtf8 = "\xE5\x8D\x97\xE4\xBA\xAC\xE8\xB7\xAF";
const std::string kReplacement = "\xEF\xBF\xBD";

// The raw text of a DBF's records (everything after the header), enough for
// detect_encoding without going through GDAL.
std::string dbf_records(const std::string& dbf) {
    REQUIRE(dbf.size() > 12);
    const auto header_size = static_cast<std::size_t>(static_cast<unsigned char>(dbf[8]) | static_cast<unsigned char>(dbf[9]) << 8);
    REQUIRE(header_size < dbf.size());
    return dbf.substr(header_size);
}

} // namespace

TEST_CASE("UTF-8 validation", "[encoding]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("Nanjing Road"));
    CHECK(is_valid_utf8(kNanjingLuUtf8));
    CHECK(is_valid_utf8("\xF0\x9F\x9A\x97")); // U+1F697, four bytes
    CHECK_FALSE(is_valid_utf8(kNanjingLuGbk));
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));     // overlong, three bytes
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));     // a UTF-16 surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xE5\x8D"));         // truncated
    CHECK_FALSE(is_valid_utf8("abc\x80"));          // stray continuation byte
    CHECK_FALSE(is_valid_utf8("\xFF"));
}

TEST_CASE("ASCII detection", "[encoding]") {
    CHECK(is_ascii(""));
    CHECK(is_ascii("Weidi Dao 12"));
    CHECK_FALSE(is_ascii(kNanjingLuUtf8));
    CHECK_FALSE(is_ascii("caf\xE9"));
}

TEST_CASE("GBK text is decoded to UTF-8", "[encoding]") {
    for (const std::string charset : {"GB18030", "GBK", "gbk", "CP936", "936", "GB2312"}) {
        INFO(charset);
        CHECK(to_utf8(kNanjingLuGbk, charset) == kNanjingLuUtf8);
    }
    CHECK(to_utf8("Road " + kNanjingLuGbk + " 1", "GBK") == "Road " + kNanjingLuUtf8 + " 1");
    CHECK(to_utf8("", "GBK").empty());
    // Long input crosses the internal buffer size.
    std::string long_gbk;
    std::string long_utf8;
    for (int i = 0; i < 2000; ++i) {
        long_gbk += kNanjingLuGbk;
        long_utf8 += kNanjingLuUtf8;
    }
    CHECK(to_utf8(long_gbk, "GB18030") == long_utf8);
}

TEST_CASE("other charsets decode", "[encoding]") {
    CHECK(to_utf8("caf\xE9", "1252") == "caf\xC3\xA9");
    CHECK(to_utf8("caf\xE9", "ISO-8859-1") == "caf\xC3\xA9");
    CHECK(to_utf8(kNanjingLuUtf8, "utf8") == kNanjingLuUtf8);
}

TEST_CASE("invalid sequences become U+FFFD, never an exception", "[encoding]") {
    // A lone lead byte at the end of GBK text is truncated.
    CHECK(to_utf8(kNanjingLuGbk + "\xC4", "GB18030") == kNanjingLuUtf8 + kReplacement);
    // 0xFF is no GB18030 lead byte.
    CHECK(to_utf8("a\xFF" "b", "GB18030") == "a" + kReplacement + "b");
    // Ill-formed UTF-8 is repaired byte by byte.
    CHECK(to_utf8("a\xC0\xAF" "b", "UTF-8") == "a" + kReplacement + kReplacement + "b");
    CHECK(is_valid_utf8(to_utf8("\x80\x81\xFE\xFF\xC4", "GBK")));
}

TEST_CASE("an unknown charset is an input_error naming it", "[encoding]") {
    CHECK_THROWS_AS(to_utf8("abc", "NO-SUCH-CHARSET"), input_error);
    try {
        to_utf8("abc", "NO-SUCH-CHARSET");
    } catch (const input_error& e) {
        CHECK(std::string(e.what()).find("NO-SUCH-CHARSET") != std::string::npos);
        CHECK_FALSE(e.hint().empty());
    }
    CHECK_THROWS_AS(to_utf8("abc", ""), input_error);
}

TEST_CASE("encoding detection: UTF-8 when all samples are valid UTF-8, else GB18030", "[encoding]") {
    CHECK(detect_encoding({}) == "UTF-8");
    CHECK(detect_encoding({"Main Street", "Bridge Rd"}) == "UTF-8");
    CHECK(detect_encoding({"Main Street", kNanjingLuUtf8}) == "UTF-8");
    CHECK(detect_encoding({"Main Street", kNanjingLuGbk}) == "GB18030");
    CHECK(detect_encoding({kNanjingLuUtf8, kNanjingLuGbk}) == "GB18030");
}

TEST_CASE("charset names are normalised", "[encoding]") {
    CHECK(normalise_charset("gbk") == "GB18030");
    CHECK(normalise_charset("936") == "GB18030");
    CHECK(normalise_charset("cp936") == "GB18030");
    CHECK(normalise_charset("CP 936") == "GB18030");
    CHECK(normalise_charset("GB2312") == "GB18030");
    CHECK(normalise_charset("gb18030") == "GB18030");
    CHECK(normalise_charset("utf8") == "UTF-8");
    CHECK(normalise_charset(" UTF-8\n") == "UTF-8");
    CHECK(normalise_charset("65001") == "UTF-8");
    CHECK(normalise_charset("1252") == "CP1252");
    CHECK(normalise_charset("ANSI 1252") == "CP1252");
    CHECK(normalise_charset("Windows-1251") == "CP1251");
    CHECK(normalise_charset("88591") == "ISO-8859-1");
    CHECK(normalise_charset("8859_5") == "ISO-8859-5");
    CHECK(normalise_charset("latin1") == "ISO-8859-1");
    CHECK(normalise_charset("950") == "BIG5");
    CHECK(normalise_charset("437") == "CP437");
    CHECK(normalise_charset("koi8-r") == "KOI8-R");
    CHECK(normalise_charset("") == "");
}

TEST_CASE("DBF language id and .cpg of scratch files", "[encoding]") {
    const auto dir = plan::test::scratch_dir("encoding_dbf");
    std::string header(32, '\0');
    header[0] = '\x03';
    header[29] = '\x4D';
    plan::test::write_file(dir / "roads.dbf", header);
    CHECK(dbf_language_id((dir / "roads.dbf").string()) == 0x4D);
    plan::test::write_file(dir / "short.dbf", "\x03\x7d");
    CHECK(dbf_language_id((dir / "short.dbf").string()) == -1);
    CHECK(dbf_language_id((dir / "absent.dbf").string()) == -1);
    CHECK(dbf_language_id(dir.string()) == -1); // a folder

    CHECK(read_cpg((dir / "roads.shp").string()).empty());
    plan::test::write_file(dir / "roads.cpg", "\xEF\xBB\xBF" "  GBK \r\n");
    CHECK(read_cpg((dir / "roads.shp").string()) == "GBK");
    CHECK(read_cpg((dir / "roads.dbf").string()) == "GBK");
    plan::test::write_file(dir / "upper.CPG", "UTF-8");
    CHECK(read_cpg((dir / "upper.shp").string()) == "UTF-8");
}

TEST_CASE("Tianjin roads: language id 0x57, no .cpg, GBK text", "[encoding][data]") {
    const auto dbf = plan::test::shared_data("tianjin_hexi_gbk/roads.dbf");
    CHECK(dbf_language_id(dbf.string()) == 0x57);
    CHECK(read_cpg(dbf.string()).empty());
    CHECK(read_cpg(plan::test::shared_data("tianjin_hexi_gbk/roads.shp").string()).empty());

    const std::string records = dbf_records(plan::test::read_file(dbf));
    CHECK(detect_encoding({records}) == "GB18030");
    const std::string text = to_utf8(records, detect_encoding({records}));
    CHECK(is_valid_utf8(text));
    for (const std::string name : {"南京路", "围堤道", "珠江道"}) {
        INFO(name);
        CHECK(text.find(name) != std::string::npos);
    }
}

TEST_CASE("Beijing townships: .cpg says UTF-8", "[encoding][data]") {
    const auto shp = plan::test::shared_data("beijing_townships/townships.shp");
    CHECK(read_cpg(shp.string()) == "UTF-8");
    CHECK(normalise_charset(read_cpg(shp.string())) == "UTF-8");
    const std::string records = dbf_records(plan::test::read_file(plan::test::shared_data("beijing_townships/townships.dbf")));
    CHECK(detect_encoding({records}) == "UTF-8");
}
