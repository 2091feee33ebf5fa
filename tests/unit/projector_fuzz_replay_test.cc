// The projector fuzz harness run over hand-made inputs in every build (so gcc
// builds check it too), each parser reached through its selector byte.
#include <gtest/gtest.h>

#include <string>

#include "../fuzz/projector_fuzz_harness.h"
#include "support/projector_bundle.h"

namespace tbview {
namespace {

void Feed(uint8_t which, uint8_t config, uint8_t seed, const std::string& body) {
  std::string input;
  input += static_cast<char>(which);
  input += static_cast<char>(config);
  input += static_cast<char>(seed);
  input += body;
  fuzz::ProjectorOne(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

TEST(ProjectorFuzzReplay, EachParser) {
  for (uint8_t config : {0, 7, 0x3f, 0xff}) {
    for (uint8_t seed : {0, 1, 2, 3, 200}) {
      Feed(0, config, seed,
           "embeddings { tensor_name: \"a\" sprite { single_image_dim: [1, 2] } }\nembeddings {}");
      Feed(0, config, seed,
           "a { b { c { d { e { f { g { h { i { j { k { l { m { n { o { p { q { } } } } } } } } } } } } } } "
           "} } }");
      Feed(1, config, seed, "1\t2\t3\n4\t5\t6\n7\t8\t9\n1e3\t-2\t.5\n\n");
      Feed(1, config, seed, "1\t2\n3\tx\n");
      Feed(2, config, seed, "a\tb\n1\t2\n");
      const test::Bundle b =
          test::WriteBundle({{"embedding/.ATTRIBUTES/VARIABLE_VALUE", {3, 2}, {1, 2, 3, 4, 5, 6}}});
      std::string shard = b.shards[0];
      shard.resize(seed, '\0');
      Feed(3, config, static_cast<uint8_t>(shard.size()), shard + b.index);
    }
  }
}

}  // namespace
}  // namespace tbview
