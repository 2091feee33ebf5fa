// UTF-8 repair: the one place in the core where bytes become valid UTF-8.
//
// Tags, run names, messages and writer names in a log may be any bytes a
// (possibly hostile) writer chose. Before such a string is handed to JS it is
// made valid UTF-8, replacing each invalid sequence exactly as TextDecoder does
// (WHATWG "maximal subpart"), so the conversion can never throw or disagree with
// a decoder on the JS side. The JSON writer (json_writer.h) and the plugin
// views use the same repair, which is also what Python's
// bytes.decode('utf-8', 'replace') gives, so the reference dump matches
// TensorBoard's own output byte for byte.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace tbview {

// Index of the first byte of `s` that starts an invalid UTF-8 sequence, or
// s.size() when `s` is valid UTF-8 (no overlong forms, no surrogates, nothing
// above U+10FFFF).
size_t FirstInvalidUtf8(std::string_view s);

// `s` with every invalid UTF-8 sequence replaced by U+FFFD, as
// TextDecoder('utf-8') (fatal: false) decodes it.
std::string ToValidUtf8(std::string_view s);

}  // namespace tbview
