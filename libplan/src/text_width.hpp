#pragma once
// Column alignment for text tables that hold Chinese names: a terminal shows
// East Asian wide characters (CJK ideographs, full-width forms, CJK
// punctuation) in two columns, so padding counts display columns, not bytes.
#include <string>
#include <string_view>

namespace plan::detail {

/// Display columns of a UTF-8 string (wide characters count 2; invalid bytes 1).
int display_width(std::string_view text);
/// `text` followed (left-aligned) or preceded (right-aligned) by spaces up to `width` columns.
std::string pad_right(std::string_view text, int width);
std::string pad_left(std::string_view text, int width);

} // namespace plan::detail
