// HParamsPluginData (the content of hparams summary metadata) in protobuf's
// canonical JSON mapping, as Python's json_format.MessageToDict writes it:
// lowerCamelCase field names, enum value names, fields at their default value
// omitted (a set oneof member or sub-message is kept), doubles as numbers with
// "NaN" / "Infinity" / "-Infinity" for non-finite ones, google.protobuf.Value as
// plain JSON. Object keys are written sorted.
#pragma once
#include <string>
#include <string_view>

#include "json_writer.h"

namespace tbview {

// Parses `content` as HParamsPluginData and writes it to *w as one JSON object.
// False (and nothing written) when it does not parse.
bool WriteHParamsPluginDataJson(std::string_view content, JsonWriter* w, std::string* error);

}  // namespace tbview
