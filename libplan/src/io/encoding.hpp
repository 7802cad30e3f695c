#pragma once
// Text encodings of input data. Chinese data often arrives in GBK / GB18030
// while its DBF header claims Windows-1252 ("ANSI", language id 0x57): GDAL
// then recodes it into valid UTF-8 mojibake, so the input layer reads the raw
// bytes and decides here. Private to libplan.
#include <string>
#include <string_view>
#include <vector>

namespace plan::detail {

bool is_valid_utf8(std::string_view s);
bool is_ascii(std::string_view s);

/// iconv-based; throws plan::input_error on an unknown charset; invalid sequences -> U+FFFD, never throws on data.
std::string to_utf8(std::string_view bytes, const std::string& from_charset);

/// Decide the encoding of raw text samples: "UTF-8" when all are valid UTF-8 (ASCII-only counts as UTF-8), else "GB18030".
/// UTF-8 text in `to_charset` (for filters on sources read as raw bytes);
/// throws input_error when a character has no equivalent there.
std::string from_utf8(std::string_view utf8, const std::string& to_charset);

std::string detect_encoding(const std::vector<std::string>& samples);

/// DBF header language driver id (byte 29) of a .dbf; -1 when unreadable.
int dbf_language_id(const std::string& dbf_path);

/// Contents of the .cpg next to a .shp/.dbf path (trimmed), "" when absent.
std::string read_cpg(const std::string& shp_or_dbf_path);

/// Normalises charset names for iconv and reporting: "gbk","936","cp936" -> "GB18030"; "utf8" -> "UTF-8"; "1252" -> "CP1252" ...
std::string normalise_charset(const std::string& name);

} // namespace plan::detail
