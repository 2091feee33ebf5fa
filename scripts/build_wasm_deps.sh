#!/usr/bin/env bash
# Builds the WebAssembly dependencies of tbview into .deps/wasm/{lib,include}:
#   - zlib 1.2.13 (libz.a) and
#   - protobuf-lite 3.21.12 (libprotobuf-lite.a, same version as the host protoc),
# from Debian's own source packages (the only source reachable on these machines;
# identical to upstream for the parts built here). Each orig tarball's sha256 is
# checked before anything is unpacked.
#
# Idempotent: a stamp file (.deps/wasm/.stamp, holding the versions and hashes)
# makes a rerun an instant no-op. Delete .deps/ to rebuild from scratch.
# Called by scripts/setup.sh and scripts/build_wasm.sh.
# Traps avoided here are documented in the team's toolchain notes:
#   NODE_PATH for emcc's acorn; zlib via ./configure (its CMakeLists breaks on
#   the dfsg tarball); protobuf with only the lite runtime and no protoc.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
SRC="$DEPS/src"
PREFIX="$DEPS/wasm"
STAMP="$PREFIX/.stamp"

ZLIB_TARBALL=zlib_1.2.13.dfsg.orig.tar.bz2
ZLIB_SHA256=71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1
PROTOBUF_TARBALL=protobuf_3.21.12.orig.tar.gz
PROTOBUF_SHA256=930c2c3b5ecc6c9c12615cf5ad93f1cd6e12d0aba862b572e076259970ac3a53
STAMP_TEXT="zlib $ZLIB_SHA256
protobuf-lite $PROTOBUF_SHA256
flags -O3 v1"

log() { printf '[wasm-deps] %s\n' "$*" >&2; }
die() { printf '[wasm-deps] error: %s\n' "$*" >&2; exit 1; }

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_TEXT" ] \
   && [ -f "$PREFIX/lib/libz.a" ] && [ -f "$PREFIX/lib/libprotobuf-lite.a" ]; then
  exit 0
fi

command -v emcc >/dev/null || die "emcc not found (apt-get install emscripten)"
# NodeSource's node does not search Debian's module folder; emcc needs acorn there.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
JOBS="$(nproc 2>/dev/null || echo 2)"

# ---- 1. sources: Debian source packages, checked by sha256 ----
have_tarballs() { [ -f "$SRC/$ZLIB_TARBALL" ] && [ -f "$SRC/$PROTOBUF_TARBALL" ]; }
if ! have_tarballs; then
  # Source packages need deb-src entries: add them to Debian 12's deb822 file, or
  # (older layout) mirror each `deb` line of sources.list as `deb-src`.
  SOURCES=/etc/apt/sources.list.d/debian.sources
  added=0
  if [ -f "$SOURCES" ] && grep -E '^Types:' "$SOURCES" | grep -vq 'deb-src'; then
    log "adding deb-src to $SOURCES"
    $SUDO sed -i -E '/^Types:/{/deb-src/!s/$/ deb-src/}' "$SOURCES"
    added=1
  elif [ ! -f "$SOURCES" ] && [ -f /etc/apt/sources.list ] && ! grep -q '^deb-src ' /etc/apt/sources.list; then
    log "adding deb-src lines to /etc/apt/sources.list"
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee -a /etc/apt/sources.list >/dev/null
    added=1
  fi
  if [ $added = 1 ] || ! apt-get source --print-uris zlib >/dev/null 2>&1; then
    $SUDO apt-get update -qq
  fi
  mkdir -p "$SRC"
  log "downloading Debian sources of zlib and protobuf"
  # As root, apt would try (and warn about failing) to drop to the _apt user,
  # which cannot write here.
  APT_OPTS=()
  [ "$(id -u)" = 0 ] && APT_OPTS=(-o APT::Sandbox::User=root)
  (cd "$SRC" && apt-get "${APT_OPTS[@]}" source --download-only zlib protobuf >/dev/null)
  have_tarballs || die "apt-get source did not give $ZLIB_TARBALL and $PROTOBUF_TARBALL"
fi
check_sha() {
  local got
  got="$(sha256sum "$SRC/$1" | cut -d' ' -f1)"
  [ "$got" = "$2" ] || die "$1: sha256 $got, expected $2 (delete $SRC to download again)"
}
check_sha "$ZLIB_TARBALL" "$ZLIB_SHA256"
check_sha "$PROTOBUF_TARBALL" "$PROTOBUF_SHA256"

WORK="$DEPS/build-wasm"
rm -rf "$WORK"
mkdir -p "$WORK" "$PREFIX/lib" "$PREFIX/include"

# ---- 2. zlib: ./configure + make libz.a (its CMakeLists fails on the dfsg tarball) ----
log "building zlib (wasm)"
mkdir -p "$WORK/zlib"
tar -xjf "$SRC/$ZLIB_TARBALL" -C "$WORK/zlib" --strip-components=1
(
  cd "$WORK/zlib"
  CFLAGS="-O3" emconfigure ./configure --static >"$WORK/zlib-configure.log" 2>&1
  emmake make -j"$JOBS" libz.a >"$WORK/zlib-make.log" 2>&1
) || die "zlib build failed; see $WORK/zlib-*.log"
cp "$WORK/zlib/libz.a" "$PREFIX/lib/"
cp "$WORK/zlib/zlib.h" "$WORK/zlib/zconf.h" "$PREFIX/include/"

# ---- 3. protobuf-lite 3.21.12: the lite runtime only, no protoc, no zlib ----
log "building protobuf-lite (wasm)"
mkdir -p "$WORK/protobuf"
tar -xzf "$SRC/$PROTOBUF_TARBALL" -C "$WORK/protobuf" --strip-components=1
(
  emcmake cmake -S "$WORK/protobuf" -B "$WORK/protobuf-build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O3 -DNDEBUG" \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" \
    -Dprotobuf_BUILD_TESTS=OFF -Dprotobuf_BUILD_PROTOC_BINARIES=OFF \
    -Dprotobuf_BUILD_LIBPROTOC=OFF -Dprotobuf_WITH_ZLIB=OFF \
    -Dprotobuf_BUILD_SHARED_LIBS=OFF -Dprotobuf_BUILD_EXAMPLES=OFF \
    >"$WORK/protobuf-configure.log" 2>&1
  ninja -C "$WORK/protobuf-build" libprotobuf-lite >"$WORK/protobuf-make.log" 2>&1
  for c in libprotobuf-lite protobuf-headers; do
    cmake --install "$WORK/protobuf-build" --component "$c" >>"$WORK/protobuf-make.log" 2>&1
  done
) || die "protobuf-lite build failed; see $WORK/protobuf-*.log"
# Some layouts install into lib64 or name the archive differently: normalise.
if [ ! -f "$PREFIX/lib/libprotobuf-lite.a" ]; then
  found="$(find "$PREFIX" -name 'libprotobuf-lite*.a' | head -n1)"
  [ -n "$found" ] || die "libprotobuf-lite.a was not installed"
  cp "$found" "$PREFIX/lib/libprotobuf-lite.a"
fi
[ -f "$PREFIX/include/google/protobuf/message_lite.h" ] || die "protobuf headers were not installed"

rm -rf "$WORK"
printf '%s' "$STAMP_TEXT" >"$STAMP"
log "done: $PREFIX/lib/{libz.a,libprotobuf-lite.a}"
