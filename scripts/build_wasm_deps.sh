#!/usr/bin/env bash
# Builds the WebAssembly dependencies of tbview into .deps/wasm/{lib,include}:
#   - zlib 1.2.13 (libz.a) and
#   - protobuf-lite 3.21.12 (libprotobuf-lite.a, same version as the host protoc),
# from Debian's own source packages (the only source reachable on these machines;
# identical to upstream for the parts built here). Each orig tarball's sha256 is
# checked before anything is unpacked.
#
# Idempotent: a stamp file (wasm/.stamp, holding the versions and hashes) makes a
# rerun an instant no-op. Delete .deps/ to download and rebuild from scratch.
# Called by scripts/setup.sh and scripts/build_wasm.sh.
#
# Where things go (both git-ignored by default):
#   TBVIEW_DEPS      the deps cache, default <repo>/.deps: built libraries in wasm/,
#                    apt's private source index in apt/
#   TBVIEW_DEPS_SRC  the downloaded source tarballs, default $TBVIEW_DEPS/src; kept
#                    apart so that a test can rebuild everything from an empty
#                    cache while still proving the download works (scripts/
#                    test_fresh_clone.sh points both at empty folders)
# Traps avoided here are documented in the team's toolchain notes:
#   NODE_PATH for emcc's acorn; zlib via ./configure (its CMakeLists breaks on
#   the dfsg tarball); protobuf with only the lite runtime and no protoc.
#
#   scripts/build_wasm_deps.sh [--download-only]   (--download-only: fetch and check
#                                                   the tarballs, build nothing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOWNLOAD_ONLY=0
[ "${1:-}" = "--download-only" ] && DOWNLOAD_ONLY=1
DEPS="${TBVIEW_DEPS:-$ROOT/.deps}"
SRC="${TBVIEW_DEPS_SRC:-$DEPS/src}"
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

if [ $DOWNLOAD_ONLY = 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_TEXT" ] \
   && [ -f "$PREFIX/lib/libz.a" ] && [ -f "$PREFIX/lib/libprotobuf-lite.a" ]; then
  exit 0
fi

[ $DOWNLOAD_ONLY = 1 ] || command -v emcc >/dev/null || die "emcc not found (apt-get install emscripten)"
# NodeSource's node does not search Debian's module folder; emcc needs acorn there.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
JOBS="$(nproc 2>/dev/null || echo 2)"

# ---- 1. sources: Debian's orig tarballs, checked by sha256 ----
# The orig tarball of an upstream version is one file shared by every Debian
# revision of it (1.2.13.dfsg-1, 1.2.13.dfsg-1+deb12u1, ...), but which suite serves
# it differs: the security archive, for one, may carry the .dsc of a newer revision
# and answer 404 for its files. So the download never depends on which version apt
# prefers today. Two routes, each tried in turn until a file arrives whose sha256 is
# the pinned one:
#   a. the pool path of the tarball on every mirror this machine's apt sources name
#      (pool/main/<p>/<pkg>/ and the security layout pool/updates/main/...), fetched
#      with apt-helper, so apt's proxy settings apply; no deb-src line is needed;
#   b. apt's own source index: a private sources list with deb-src entries for the
#      same mirrors and a private lists folder, both inside $DEPS/apt (the
#      system's apt configuration is never edited), asking for the tarball of every
#      source version apt knows.
# A tarball placed by hand in $SRC (for example from an upstream release with the
# same sha256) is used as it is, after the same check.
#   TBVIEW_DEPS_ROUTES   the routes to try, in order (default "pool index")
#   TBVIEW_DEPS_MIRRORS  mirrors for route a instead of those of /etc/apt (space-separated)
ROUTES="${TBVIEW_DEPS_ROUTES:-pool index}"
APT_HELPER=/usr/lib/apt/apt-helper
APT_OPTS=()
# As root, apt would try (and warn about failing) to drop to the _apt user, which
# cannot write into $DEPS.
[ "$(id -u)" = 0 ] && APT_OPTS=(-o APT::Sandbox::User=root)
tried_file="$DEPS/.download-attempts"

# The mirrors of this machine's apt sources (deb822 .sources and one-line .list
# files), http(s) and file URIs only, one per line.
apt_mirrors() {
  local f
  if [ -n "${TBVIEW_DEPS_MIRRORS:-}" ]; then printf '%s\n' $TBVIEW_DEPS_MIRRORS; return; fi
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] && sed -nE 's/^URIs:[[:space:]]*//p' "$f" | tr ' ' '\n'
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] && sed -nE 's/^deb(-src)?[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\3/p' "$f"
    done
  } | grep -E '^(https?|file):' | sed 's:/*$::' | awk '!seen[$0]++'
}

# try_download NAME SHA256 URI: fetch URI to $SRC/NAME if its sha256 matches.
try_download() {
  local name="$1" sha="$2" uri="$3" tmp="$SRC/.$1.part"
  rm -f "$tmp"
  if "$APT_HELPER" "${APT_OPTS[@]}" download-file "$uri" "$tmp" "SHA256:$sha" >"$tmp.log" 2>&1 \
     && [ "$(sha256sum "$tmp" | cut -d' ' -f1)" = "$sha" ]; then
    mv "$tmp" "$SRC/$name"; rm -f "$tmp.log"
    log "downloaded $name from $uri"
    return 0
  fi
  # apt-helper prints the reason on the line after "Err:N URI" (404, connection
  # refused, hash mismatch).
  local why
  why="$(awk '/^Err:/ { getline; print; exit }' "$tmp.log" 2>/dev/null | sed 's/^ *//' | cut -c1-160)"
  [ -n "$why" ] || why="$(grep -m1 -E '^E:' "$tmp.log" 2>/dev/null | cut -c1-160)"
  printf '  %s: %s\n' "$uri" "${why:-failed}" >>"$tried_file"
  rm -f "$tmp" "$tmp.log"
  return 1
}

# Route b's private apt state: a sources list holding the deb-src twins of this
# machine's entries, and private lists and cache folders, all in $DEPS/apt.
APT_PRIVATE="$DEPS/apt"
PRIVATE_OPTS=("${APT_OPTS[@]}" -o Dir::Etc::SourceList="$APT_PRIVATE/sources.list"
              -o Dir::Etc::SourceParts="$APT_PRIVATE/sources.list.d"
              -o Dir::State::Lists="$APT_PRIVATE/lists" -o Dir::Cache="$APT_PRIVATE/cache"
              -o Debug::NoLocking=1)
private_apt_ready=0
# Writes the private sources and downloads their index, once per run.
private_apt_setup() {
  [ $private_apt_ready = 0 ] || return 0
  private_apt_ready=1
  local dir="$APT_PRIVATE" f
  mkdir -p "$dir/lists/partial" "$dir/sources.list.d" "$dir/cache"
  : >"$dir/sources.list"
  rm -f "$dir/sources.list.d/"*
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # Same entries (mirrors, suites, keys), as source entries only.
    sed -E 's/^Types:.*/Types: deb-src/' "$f" >"$dir/sources.list.d/$(basename "$f")"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && sed -nE 's/^deb([[:space:]])/deb-src\1/p' "$f" >>"$dir/sources.list"
  done
  log "reading Debian's source index (private to $dir)"
  apt-get "${PRIVATE_OPTS[@]}" update -qq >"$dir/update.log" 2>&1 \
    || log "apt-get update of the source index reported problems (see $dir/update.log)"
}

# fetch_source PKG TARBALL SHA256
fetch_source() {
  local pkg="$1" name="$2" sha="$3" dir1 uri v
  [ -f "$SRC/$name" ] && return 0
  dir1="${pkg:0:1}"; [[ "$pkg" == lib* ]] && dir1="${pkg:0:4}"
  if [ -x "$APT_HELPER" ]; then
    for route in $ROUTES; do
      case "$route" in
        pool)
          for m in $(apt_mirrors); do
            for pool in "pool/main" "pool/updates/main"; do
              try_download "$name" "$sha" "$m/$pool/$dir1/$pkg/$name" && return 0
            done
          done ;;
        index)
          private_apt_setup
          for v in $(apt-cache "${PRIVATE_OPTS[@]}" showsrc "$pkg" 2>/dev/null | sed -nE 's/^Version: //p' | awk '!seen[$0]++'); do
            for uri in $(apt-get "${PRIVATE_OPTS[@]}" source --print-uris "$pkg=$v" 2>/dev/null \
                         | awk -v n="$name" '$2 == n { gsub(/\x27/, "", $1); print $1 }'); do
              try_download "$name" "$sha" "$uri" && return 0
            done
          done ;;
        *) die "unknown route '$route' in TBVIEW_DEPS_ROUTES (pool, index)" ;;
      esac
    done
  else
    echo "  $APT_HELPER is missing (package apt)" >>"$tried_file"
  fi
  {
    printf '[wasm-deps] error: could not download %s (source package %s, sha256 %s).\n' "$name" "$pkg" "$sha"
    printf '[wasm-deps] tried:\n'
    cat "$tried_file" 2>/dev/null
    printf '[wasm-deps] fix: check that this machine reaches a Debian mirror (apt-get update), or put\n'
    printf '[wasm-deps] the file %s with that sha256 into %s yourself and run again.\n' "$name" "$SRC"
  } >&2
  return 1
}

mkdir -p "$DEPS" "$SRC"
rm -f "$tried_file"
if [ ! -f "$SRC/$ZLIB_TARBALL" ] || [ ! -f "$SRC/$PROTOBUF_TARBALL" ]; then
  log "downloading Debian's source tarballs of zlib and protobuf into $SRC"
fi
fetch_source zlib "$ZLIB_TARBALL" "$ZLIB_SHA256" || exit 1
fetch_source protobuf "$PROTOBUF_TARBALL" "$PROTOBUF_SHA256" || exit 1
check_sha() {
  local got
  got="$(sha256sum "$SRC/$1" | cut -d' ' -f1)"
  [ "$got" = "$2" ] || die "$SRC/$1: sha256 $got, expected $2 (delete the file to download it again)"
}
check_sha "$ZLIB_TARBALL" "$ZLIB_SHA256"
check_sha "$PROTOBUF_TARBALL" "$PROTOBUF_SHA256"
[ $DOWNLOAD_ONLY = 1 ] && { log "sources ready in $SRC"; exit 0; }
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
