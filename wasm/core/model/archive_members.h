// The sink through which an archive's members become files of the Logdir that
// opened the archive (archive_members.cc says the rules). Internal to the logdir
// modules.
#pragma once
#include <cstdint>
#include <string_view>

#include "archive.h"
#include "logdir.h"

namespace tbview {
namespace logdir_internal {

struct MemberSink : ArchiveReader::Sink {
  Logdir::Impl* impl = nullptr;
  int archive = -1;  // the id of the archive's file
  int member = -1;   // the id of the member being read, -1 between members
  void BeginMember(std::string_view path, uint64_t size) override;
  void MemberData(const uint8_t* data, size_t size) override;
  void EndMember(bool ok, std::string_view message) override;
};

}  // namespace logdir_internal
}  // namespace tbview
