#pragma once

// Strings and lists of strings between std::string and FlatBuffers, for the
// conversion files of this folder. An absent string or list reads as empty.
#include <flatbuffers/flatbuffers.h>

#include <string>
#include <vector>

namespace leadtime::protocol {

inline std::string str_of(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

inline std::vector<std::string> strings_of(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  out.reserve(v->size());
  for (const flatbuffers::String* s : *v) out.push_back(str_of(s));
  return out;
}

// The offsets of `v`'s strings, for a generated Create...Direct function.
inline std::vector<flatbuffers::Offset<flatbuffers::String>> string_offsets(flatbuffers::FlatBufferBuilder& fbb,
                                                                            const std::vector<std::string>& v) {
  std::vector<flatbuffers::Offset<flatbuffers::String>> out;
  out.reserve(v.size());
  for (const std::string& s : v) out.push_back(fbb.CreateString(s));
  return out;
}

}  // namespace leadtime::protocol
