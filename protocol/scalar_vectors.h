#pragma once

// Reading a vector of 8-byte scalars from a verified buffer. FlatBuffers'
// verifier checks a vector's length word to 4 bytes but not its elements'
// own alignment, so a crafted (or merely oddly built) buffer can hold a
// [double] at an address no double may be loaded from; Vector::Get and its
// iterators load them directly (undefined behaviour the frames fuzzer found).
// These copy the bytes instead, whatever the address.
#include <flatbuffers/flatbuffers.h>

#include <cstddef>
#include <cstring>
#include <vector>

namespace leadtime::protocol {

template <class T>
T scalar_at(const flatbuffers::Vector<T>& items, std::size_t i) {
  T value;
  std::memcpy(&value, items.Data() + i * sizeof(T), sizeof(T));
  return flatbuffers::EndianScalar(value);
}

template <class T>
std::vector<T> scalars_of(const flatbuffers::Vector<T>& items) {
  std::vector<T> out(items.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = scalar_at(items, i);
  return out;
}

}  // namespace leadtime::protocol
