#pragma once
// Shared by the progress bar and the log (both write to stderr): a log line
// first clears a bar left on the terminal line, so the two never share a line.
namespace plan::detail {
/// Erases the bar from the terminal line when one is drawn there (\r, erase to
/// end of line) and notes that the line is clear. Call before writing a log line.
void clear_progress_line();
} // namespace plan::detail
