#!/usr/bin/env bash
# Proves that the README's two commands set up everything they need from the
# repository alone, on a machine that keeps nothing from an earlier session.
# A stage of scripts/test.sh; it can also be run by itself.
#
#   1. A copy of the checkout as a fresh clone has it (tracked files, and new files
#      git does not ignore, as they are in the work tree: no .deps/, build/,
#      web/node_modules, web/public/wasm) in a temporary folder.
#   2. In that copy, scripts/run.sh (the main command) with an empty deps cache, an
#      empty source-tarball folder and an empty npm cache: the Debian source
#      tarballs are downloaded and checked, zlib and protobuf-lite built for wasm,
#      the npm packages installed from the lockfile, the CLI, the wasm engine and
#      the app built, the demo logs written, the viewer served. The test then asks
#      the server for the page, the engine and a demo log through the logdir
#      listing, and stops it.
#   3. The second download route (apt's source index, private to the cache) and
#      the failure messages: unreachable mirrors, a tarball with the wrong sha256.
#   4. Every program the scripts call belongs to a Debian package that
#      scripts/setup.sh installs (or to one they depend on, or to an essential
#      package), so no tool is used only because this machine already had it.
# What it cannot show: that apt-get install works for packages this machine
# already has (they are not removed: that would take minutes and the machine's
# other users' tools). Step 4 covers that gap by checking the package lists.
#
#   scripts/test_fresh_clone.sh           (TBVIEW_KEEP_FRESH=1 keeps the folder)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/tbview-fresh.XXXXXX")"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -- "-$SERVER_PID" 2>/dev/null
  [ "${TBVIEW_KEEP_FRESH:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
t0=$(date +%s)
secs() { echo $(( $(date +%s) - t0 )); }

# ---- 1. the copy ----
CLONE="$TMP/tbview"
mkdir -p "$CLONE"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf -) | tar -xf - -C "$CLONE"
for d in .deps build web/node_modules web/public/wasm web/dist; do
  [ -e "$CLONE/$d" ] && { fail "the copy holds $d (is it ignored by .gitignore?)"; }
done
ok "copy of the checkout: $(cd "$CLONE" && find . -type f | wc -l) files"

# ---- 2. the main command from nothing ----
export TBVIEW_DEPS="$TMP/deps" TBVIEW_DEPS_SRC="$TMP/deps-src"
export npm_config_cache="$TMP/npm-cache"
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
LOG="$TMP/run.log"
t0=$(date +%s)
setsid "$CLONE/scripts/run.sh" --port "$PORT" >"$LOG" 2>&1 &
SERVER_PID=$!
up=0
for _ in $(seq 1 1200); do   # at most 20 minutes
  if grep -q "tbview: open http" "$LOG" 2>/dev/null; then up=1; break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 1
done
if [ $up = 1 ]; then
  ok "scripts/run.sh served the viewer from a fresh copy in $(secs) s"
else
  fail "scripts/run.sh did not serve; its last lines:"; tail -n 30 "$LOG" | sed 's/^/    /'
fi
for f in "$TBVIEW_DEPS/wasm/lib/libz.a" "$TBVIEW_DEPS/wasm/lib/libprotobuf-lite.a" \
         "$TBVIEW_DEPS_SRC/zlib_1.2.13.dfsg.orig.tar.bz2" "$TBVIEW_DEPS_SRC/protobuf_3.21.12.orig.tar.gz" \
         "$CLONE/web/node_modules/.package-lock.json" "$CLONE/web/dist/index.html" \
         "$CLONE/build/native/tbview"; do
  if [ -s "$f" ]; then ok "made ${f#"$TMP"/}"; else fail "missing ${f#"$TMP"/}"; fi
done
if grep -qxF "TBVIEW_WASM_PREFIX:PATH=$TBVIEW_DEPS/wasm" "$CLONE/build/wasm/CMakeCache.txt" 2>/dev/null; then
  ok "the wasm build used the fresh deps cache"
else fail "the wasm build did not use $TBVIEW_DEPS/wasm"; fi
if [ $up = 1 ]; then
  get() { node -e '
    const [url, want] = process.argv.slice(1);
    fetch(url).then(async r => {
      const body = Buffer.from(await r.arrayBuffer());
      if (r.status !== 200) { console.error(url, r.status); process.exit(1); }
      if (want && !body.toString("latin1").includes(want)) { console.error(url, "lacks", want); process.exit(1); }
      process.stdout.write(body);
    }, e => { console.error(url, e.message); process.exit(1); });' "$@"; }
  base="http://127.0.0.1:$PORT"
  get "$base/" 'tbview-logdir' >/dev/null && ok "GET / is the app, pointed at the logdir" || fail "GET /"
  listing="$(get "$base/logdir/index.json" '"files"')" && ok "GET /logdir/index.json lists the demo logs" || fail "GET /logdir/index.json"
  first="$(node -e 'const l=JSON.parse(process.argv[1]);const f=l.files.find(f=>/tfevents/.test(f.path));console.log(f?f.path:"")' "$listing" 2>/dev/null)"
  if [ -n "$first" ] && get "$base/logdir/$first" >"$TMP/first.tfevents"; then
    # The record framing is checked by the CLI of the fresh copy: a real event file.
    if "$CLONE/build/native/tbview" summary "$TMP/first.tfevents" >"$TMP/summary.txt" 2>&1; then
      ok "a served demo log ($first) reads as an event file"
    else fail "the served demo log does not read: $(head -3 "$TMP/summary.txt")"; fi
  else fail "no event file in the demo listing"; fi
  if get "$base/wasm/tbview_web.js" 'createTbviewModule' >/dev/null; then
    ok "the wasm engine is served (wasm/tbview_web.js)"
  else fail "the wasm engine is not served at wasm/tbview_web.js"; fi
  kill -- "-$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""
fi

# ---- 3. the other download route, and the failures ----
t0=$(date +%s)
if TBVIEW_DEPS="$TMP/deps-index" TBVIEW_DEPS_SRC="$TMP/src-index" TBVIEW_DEPS_ROUTES=index \
   "$CLONE/scripts/build_wasm_deps.sh" --download-only >"$TMP/index.log" 2>&1; then
  ok "route b (apt's source index, private to the cache) downloads both tarballs ($(secs) s)"
else fail "route b failed:"; sed 's/^/    /' "$TMP/index.log"; fi
grep -q '^Types: deb-src' /etc/apt/sources.list.d/*.sources 2>/dev/null \
  && echo "# note: this machine's own apt sources have deb-src entries (not made by tbview)"
if TBVIEW_DEPS="$TMP/deps-bad" TBVIEW_DEPS_SRC="$TMP/src-bad" TBVIEW_DEPS_MIRRORS="http://127.0.0.1:9/debian" TBVIEW_DEPS_ROUTES=pool \
   "$CLONE/scripts/build_wasm_deps.sh" --download-only >"$TMP/bad.log" 2>&1; then
  fail "an unreachable mirror did not fail"
elif grep -q 'could not download zlib_1.2.13.dfsg.orig.tar.bz2' "$TMP/bad.log" \
     && grep -q 'http://127.0.0.1:9/debian/pool/main/z/zlib/zlib_1.2.13.dfsg.orig.tar.bz2' "$TMP/bad.log" \
     && grep -q 'yourself and run again' "$TMP/bad.log"; then
  ok "an unreachable mirror fails naming the package, each URL tried and the fix"
else fail "unclear message for an unreachable mirror:"; sed 's/^/    /' "$TMP/bad.log"; fi
# The bug this stage was written for: the first place asked answers 404 (as the
# security suite did for zlib's sources); the next one must be tried.
mirror1="$(sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)"
[ -n "$mirror1" ] || mirror1="$(sed -nE 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' /etc/apt/sources.list 2>/dev/null | head -1)"
if [ -z "$mirror1" ]; then fail "no apt mirror found in /etc/apt"
elif TBVIEW_DEPS="$TMP/deps-404" TBVIEW_DEPS_SRC="$TMP/src-404" TBVIEW_DEPS_ROUTES=pool \
     TBVIEW_DEPS_MIRRORS="${mirror1%/}/no-such-archive ${mirror1%/}" \
     "$CLONE/scripts/build_wasm_deps.sh" --download-only >"$TMP/404.log" 2>&1 \
   && grep -q "downloaded zlib_1.2.13.dfsg.orig.tar.bz2 from ${mirror1%/}/pool/main/z/zlib/" "$TMP/404.log"; then
  ok "a mirror that answers 404 is passed over for the next one"
else fail "a 404 from the first mirror stopped the download:"; sed 's/^/    /' "$TMP/404.log"; fi
mkdir -p "$TMP/src-wrong"; echo "not a tarball" >"$TMP/src-wrong/zlib_1.2.13.dfsg.orig.tar.bz2"
cp "$TBVIEW_DEPS_SRC/protobuf_3.21.12.orig.tar.gz" "$TMP/src-wrong/" 2>/dev/null
if TBVIEW_DEPS="$TMP/deps-wrong" TBVIEW_DEPS_SRC="$TMP/src-wrong" \
   "$CLONE/scripts/build_wasm_deps.sh" --download-only >"$TMP/wrong.log" 2>&1; then
  fail "a tarball with the wrong sha256 was accepted"
elif grep -q 'zlib_1.2.13.dfsg.orig.tar.bz2: sha256 .*expected 71feb79' "$TMP/wrong.log"; then
  ok "a tarball with the wrong sha256 is refused, naming the file and both hashes"
else fail "unclear message for a wrong tarball:"; sed 's/^/    /' "$TMP/wrong.log"; fi

# ---- 4. every tool comes from a package setup.sh installs ----
mapfile -t pkgs < <("$CLONE/scripts/setup.sh" --print-packages)
closure="$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${pkgs[@]}" 2>/dev/null | sed -nE 's/^([a-z0-9][^ <>:]*).*/\1/p' | sort -u)"
owner() {  # the package that owns a program (usrmerge: /usr/bin and /bin are one)
  local p; p="$(readlink -f "$(command -v "$1")")" || return 1
  dpkg -S "$p" 2>/dev/null | head -1 | cut -d: -f1 && return 0
  dpkg -S "${p#/usr}" 2>/dev/null | head -1 | cut -d: -f1
}
tools=(cmake ninja c++ protoc pkg-config clang clang++ emcc em++ emcmake emconfigure emmake
       node npm chromium bzip2 tar gzip make git sha256sum /usr/lib/apt/apt-helper)
before=$failed
for t in "${tools[@]}"; do
  if ! command -v "$t" >/dev/null; then fail "$t is not installed"; continue; fi
  o="$(owner "$t")"
  if [ -z "$o" ]; then fail "$t ($(command -v "$t")) belongs to no Debian package"
  elif [ "$o" = nodejs ] || grep -qxF "$o" <<<"$closure"; then :
  elif [[ "$(dpkg-query -W -f='${Essential}|${Priority}' "$o" 2>/dev/null)" =~ ^yes\||\|(required|important)$ ]]; then :
  else fail "$t comes from package $o, which scripts/setup.sh does not install"; fi
done
[ $failed = "$before" ] && ok "every tool the scripts call (${#tools[@]}) comes from a package setup.sh installs, or an essential one"

echo "fresh clone: $passed passed, $failed failed"
[ $failed -eq 0 ]
