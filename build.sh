#!/usr/bin/env bash
# CcGuard build entry point.
#   ./build.sh          build dist/ccguard-<version>.xpi
#   ./build.sh test     build, then run every test (Rust, WASM package under Node, real Thunderbird)
#   ./build.sh lint [xpi]   Mozilla's addons-linter on dist/*.xpi (as last built) or on the XPI given
#   ./build.sh bench    build, then print evaluate() timings and the .wasm/.xpi sizes
#   ./build.sh judge    print the default policy's precision/recall on the labelled scenario set
#   ./build.sh fuzz     fuzz every parser for FUZZ_SECONDS (default 60) each; needs nightly
#   ./build.sh vendor-domains <version>   refresh vendor/free-email-domains from npm
# Works on a fresh Debian machine: whatever is missing (wasm target, wasm-bindgen-cli, wasm-opt,
# addons-linter, pytest, Thunderbird) is installed on first use.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="$ROOT/build"
PKG="$BUILD/pkg"
TOOLS="$BUILD/tools"
DIST="$ROOT/dist"
export PATH="$HOME/.cargo/bin:$PATH"

# Every file the XPI ships, relative to extension/. An explicit list keeps stray files
# (editor backups, notes) out of what users install. The WASM is added from $PKG.
XPI_FILES=(
  manifest.json
  background.js
  activity.js
  decisions.js
  guard.js
  core.js
  shape.js
  degraded.js
  preview.js
  thread.js
  groups.js
  learning.js
  firstrun.js
  retention.js
  settings.js
  managed.js
  lists.js
  identities.js
  util.js
  writes.js
  theme.css
  warning/warning.html
  warning/warning.js
  warning/warning.css
  warning/plural.js
  warning/protocol.js
  warning/verdict.js
  warning/wording.js
  warning/render.js
  warning/separately.js
  warning/job-words.js
  warning/job-view.js
  warning/job.html
  warning/job.js
  separate/support.js
  separate/plan.js
  separate/offer.js
  separate/copy.js
  separate/job.js
  separate/send.js
  separate/record.js
  separate/jobs.js
  separate/recovery.js
  separate/allow.html
  separate/allow.css
  separate/allow.js
  options/options.html
  options/options.js
  options/options.css
  options/keys.js
  options/form.js
  options/refusals.js
  options/roles.js
  options/known-groups.js
  icons/ccguard.svg
  _locales/en/messages.json
  _locales/de/messages.json
  _locales/fr/messages.json
  _locales/es/messages.json
  _locales/it/messages.json
  _locales/nl/messages.json
  _locales/pt_BR/messages.json
  _locales/pl/messages.json
  _locales/sv/messages.json
  _locales/ja/messages.json
  _locales/zh_CN/messages.json
  _locales/cs/messages.json
)

note() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

version() { sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1; }

# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock, or the
# generated glue does not match the module.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    note "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  local want have=""
  [ -f "$ROOT/Cargo.lock" ] || (cd "$ROOT" && cargo generate-lockfile)
  want="$(wasm_bindgen_version)"
  [ -n "$want" ] || die "cannot find the wasm-bindgen version in Cargo.lock"
  if command -v wasm-bindgen >/dev/null; then have="$(wasm-bindgen --version | awk '{print $2}')"; fi
  if [ "$have" != "$want" ]; then
    # Not --locked: for 0.2.130 a locked dependency is missing from the registry.
    note "installing wasm-bindgen-cli $want (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

# wasm-opt is optional: without it the build still works, the .wasm is just larger.
# Debian's binaryen is too old for current wasm features; the npm package ships a current one.
find_wasm_opt() {
  if [ -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then echo "$TOOLS/node_modules/.bin/wasm-opt"; return; fi
  if command -v npm >/dev/null; then
    note "installing wasm-opt (npm binaryen) into build/tools"
    if npm install --silent --no-audit --no-fund --prefix "$TOOLS" binaryen@132 >/dev/null 2>&1; then
      echo "$TOOLS/node_modules/.bin/wasm-opt"; return
    fi
  fi
  echo ""
}

# Mozilla's addons-linter, pinned: a new release can bring new rules, so a bump is a reviewed change.
ADDONS_LINTER_VERSION="10.14.0"
ADDONS_LINTER="$TOOLS/node_modules/.bin/addons-linter"

# axe-core (Deque's accessibility engine), pinned for the same reason: the e2e suite
# (tests/e2e/test_accessibility.py) runs its axe.min.js inside Thunderbird on the real pages.
AXE_CORE_VERSION="4.14.1"

# Not optional (unlike wasm-opt): `./build.sh test` fails without them.
ensure_addons_linter() {
  local have="" have_axe=""
  if [ -x "$ADDONS_LINTER" ]; then
    have="$(node -p 'require(process.argv[1]).version' "$TOOLS/node_modules/addons-linter/package.json" 2>/dev/null || true)"
  fi
  have_axe="$(node -p 'require(process.argv[1]).version' "$TOOLS/node_modules/axe-core/package.json" 2>/dev/null || true)"
  [ "$have" = "$ADDONS_LINTER_VERSION" ] && [ "$have_axe" = "$AXE_CORE_VERSION" ] && return
  command -v npm >/dev/null || die "npm is needed to install addons-linter and axe-core"
  note "installing addons-linter $ADDONS_LINTER_VERSION and axe-core $AXE_CORE_VERSION (npm) into build/tools"
  npm install --silent --no-audit --no-fund --save-exact --prefix "$TOOLS" \
    "addons-linter@$ADDONS_LINTER_VERSION" "axe-core@$AXE_CORE_VERSION" >/dev/null ||
    die "npm could not install addons-linter@$ADDONS_LINTER_VERSION axe-core@$AXE_CORE_VERSION"
}

build_wasm() {
  ensure_wasm_target
  ensure_wasm_bindgen
  note "building the WASM core (release)"
  (cd "$ROOT" && cargo build --release --target wasm32-unknown-unknown -p ccguard-wasm)
  rm -rf "$PKG" && mkdir -p "$PKG"
  wasm-bindgen --target web --no-typescript --out-dir "$PKG" \
    "$ROOT/target/wasm32-unknown-unknown/release/ccguard_wasm.wasm"
  local opt
  opt="$(find_wasm_opt)"
  if [ -n "$opt" ]; then
    # wasm-opt's speed level; the Rust side's opt-level (2) was chosen by ./build.sh bench (README).
    note "optimising with wasm-opt -O3"
    "$opt" -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals -o "$PKG/ccguard_wasm_bg.wasm" "$PKG/ccguard_wasm_bg.wasm"
  else
    note "wasm-opt not available: the .wasm is unoptimised (larger and slower, same behaviour)"
  fi
}

# Every setting of the policy, from the core's one table (policy/keys.rs): the options
# page builds its form from it, and it is what CcGuard knows of the policy without the WASM.
generate_policy_keys() {
  note "writing the policy's keys"
  (cd "$ROOT" && cargo run --quiet --release -p ccguard-core --example policy_keys) >"$PKG/policy-keys.json"
}

pack_xpi() {
  local out="$DIST/ccguard-$(version).xpi" stage="$BUILD/xpi"
  rm -rf "$stage" && mkdir -p "$stage/wasm" "$DIST"
  local f
  for f in "${XPI_FILES[@]}"; do
    [ -f "$ROOT/extension/$f" ] || die "extension/$f is listed in XPI_FILES but missing"
    mkdir -p "$stage/$(dirname "$f")" && cp "$ROOT/extension/$f" "$stage/$f"
  done
  # A file of extension/ left out of the list would be missing from the XPI: a module that
  # imports it would not load at all (found once: the options page stayed "loading").
  while IFS= read -r f; do
    [ -f "$stage/$f" ] || die "extension/$f is not in XPI_FILES: list it, or delete it"
  done < <(cd "$ROOT/extension" && find . -type f ! -name '*~' ! -name '.*' | sed 's|^\./||' | sort)
  cp "$PKG/ccguard_wasm.js" "$PKG/ccguard_wasm_bg.wasm" "$PKG/private-domains.bin" \
    "$PKG/private-domains.LICENSE.md" "$PKG/policy-keys.json" "$stage/wasm/"
  # wasm-bindgen's inline JavaScript (crates/wasm/src/js.rs), imported by ccguard_wasm.js.
  [ -d "$PKG/snippets" ] && cp -r "$PKG/snippets" "$stage/wasm/"
  rm -f "$DIST"/ccguard-*.xpi
  # Sorted entries and a fixed timestamp: the same sources give the same XPI.
  # The translations ship without their notes for translators (each message's description and
  # its placeholders' examples): Thunderbird reads only the messages and the placeholders' content.
  python3 - "$stage" <<'PY'
import glob, json, os, sys
for path in glob.glob(os.path.join(sys.argv[1], "_locales", "*", "messages.json")):
    with open(path, encoding="utf-8") as fh:
        messages = json.load(fh)
    for entry in messages.values():
        entry.pop("description", None)
        for placeholder in entry.get("placeholders", {}).values():
            placeholder.pop("example", None)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(messages, fh, ensure_ascii=False, separators=(",", ":"))
PY
  python3 - "$stage" "$out" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
names = sorted(os.path.relpath(os.path.join(d, f), stage)
               for d, _, fs in os.walk(stage) for f in fs)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for n in names:
        info = zipfile.ZipInfo(n, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with open(os.path.join(stage, n), "rb") as fh:
            z.writestr(info, fh.read(), compresslevel=9)
PY
  recompress_xpi "$out"
  note "built $(realpath --relative-to="$ROOT" "$out") ($(stat -c %s "$out") bytes; wasm $(stat -c %s "$PKG/ccguard_wasm_bg.wasm") bytes)"
}

# advzip (Debian's advancecomp) is optional: it recompresses every entry with zopfli, a
# deflate encoder that finds ~3.5 % smaller streams than zlib's best. Still plain deflate, the
# same entries and the same bytes once unpacked; deterministic for one advzip version. Installed
# only where apt-get may run without asking (root, or sudo without a password); without it the
# XPI is about 14 KB larger.
find_advzip() {
  command -v advzip >/dev/null && { echo advzip; return; }
  command -v apt-get >/dev/null || { echo ""; return; }
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    sudo -n true 2>/dev/null || { echo ""; return; }
    sudo="sudo -n"
  fi
  note "installing advzip (apt-get advancecomp)"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq advancecomp >/dev/null 2>&1 ||
    { $sudo apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq advancecomp >/dev/null 2>&1; } || true
  command -v advzip >/dev/null && echo advzip || echo ""
}

# Packs `$1` smaller with advzip when it can; an advzip that fails leaves the zlib XPI as it was.
recompress_xpi() {
  local advzip xpi="$1"
  advzip="$(find_advzip)"
  if [ -z "$advzip" ]; then
    note "advzip not available: the XPI is packed with zlib's deflate (about 14 KB larger, same content; install advancecomp to keep it within 400 KiB)"
    return
  fi
  cp "$xpi" "$xpi.zlib"
  # Every entry read back and checked against its CRC before the smaller file is kept.
  if "$advzip" --recompress -4 --quiet "$xpi" &&
    python3 -c 'import sys, zipfile; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)' "$xpi"; then
    rm -f "$xpi.zlib"
  else
    note "advzip failed: keeping the XPI packed with zlib's deflate"
    mv -f "$xpi.zlib" "$xpi"
    rm -f "${xpi%.xpi}.tmp"
  fi
}

# The consumer mailbox domains (npm free-email-domains, vendored with its licence) compiled
# into the compact table the core loads (Rice-coded fingerprints, ~20 bits a domain).
# Shipped next to the .wasm rather than in it: the list can grow without touching code.
compile_private_domains() {
  local src="$ROOT/vendor/free-email-domains"
  note "compiling the consumer-domain table"
  (cd "$ROOT" && cargo run --quiet --release -p ccguard-core --example compile_private_domains -- \
    "$src/domains.json" "$PKG/private-domains.bin")
  cp "$src/LICENSE.md" "$PKG/private-domains.LICENSE.md"
}

build() {
  build_wasm
  compile_private_domains
  generate_policy_keys
  pack_xpi
}

# The default policy's precision and recall on every labelled set (README, "How well it judges"):
# the plain sends, the two tuning sets in context, then the held-out sets in the order they were
# written; each of the later ones was measured blind once, then read.
judge() {
  local set
  # Every labelled set, in the order they were written (the last ones were blind to the rules).
  for set in scenarios context tuning2 heldout heldout2 heldout3 heldout4 heldout5 heldout6 heldout7 heldout8 heldout9; do
    note "$set.json"
    (cd "$ROOT" && cargo run --quiet --release -p ccguard-core --example judgement -- "$set.json")
  done
}

# Refreshes the vendored consumer-domain list from npm: ./build.sh vendor-domains 1.12.7
vendor_domains() {
  local version="${1:?usage: ./build.sh vendor-domains <npm version>}" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "free-email-domains@$version" >/dev/null && tar xzf ./*.tgz)
  cp "$tmp"/package/{domains.json,LICENSE.md,package.json,README.md} "$ROOT/vendor/free-email-domains/"
  sed -i "s/\*\*[0-9][0-9.]*\*\*/**$version**/" "$ROOT/vendor/free-email-domains/VENDORED.md"
  rm -rf "$tmp"
  note "vendor/free-email-domains is now $version: review the diff, run ./build.sh test and ./build.sh judge"
}

# addons-linter on the XPI, judged by tests/lint/addons-lint.mjs: any error, warning or notice fails
# except its short allow-list (Thunderbird-only permissions Firefox's schemas do not know, and one
# Firefox-for-Android version note).
lint_xpi() {
  local xpi="${1:-}" report="$BUILD/lint/addons-linter.json" rc=0
  if [ -z "$xpi" ]; then
    xpi="$(ls "$DIST"/ccguard-*.xpi 2>/dev/null | head -n1)"
    [ -n "$xpi" ] || die "no dist/ccguard-*.xpi to lint: run ./build.sh first"
  fi
  [ -f "$xpi" ] || die "$xpi: no such XPI"
  ensure_addons_linter
  note "addons-linter $ADDONS_LINTER_VERSION on $(realpath --relative-to="$ROOT" "$xpi")"
  mkdir -p "$(dirname "$report")"
  "$ADDONS_LINTER" --output json --boring "$xpi" >"$report" || rc=$?
  node "$ROOT/tests/lint/addons-lint.mjs" "$report" || die "the addons-linter check failed (report: $(realpath --relative-to="$ROOT" "$report"))"
  # The linter exits non-zero only for errors (which the script above fails on) or when it crashes.
  [ "$rc" = 0 ] || die "addons-linter exited $rc"
}

ensure_pytest() {
  python3 -c 'import pytest' 2>/dev/null && return
  note "installing pytest"
  python3 -m pip install --quiet pytest
}

# The end-to-end suite needs a real Thunderbird. Debian's package is the reference.
ensure_thunderbird() {
  command -v thunderbird >/dev/null && return
  note "installing Thunderbird (apt-get)"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq thunderbird >/dev/null
}

test_rust() {
  note "cargo test --workspace"
  (cd "$ROOT" && cargo test --workspace --quiet)
}

test_wasm_package() {
  note "tests of the built WASM package (node --test)"
  (cd "$ROOT" && node --test tests/wasm/)
}

test_extension_modules() {
  note "unit tests of the extension's modules (node --test)"
  (cd "$ROOT" && node --test tests/extension/)
}

# The admin examples (policies.json, .reg, .plist) against the schema, the layering and the core.
test_admin_examples() {
  note "the admin guide's example policies"
  (cd "$ROOT" && node tests/admin/validate-examples.mjs)
}

# The oldest ESR we support in practice, side by side with the system one: Debian keeps
# 140 ESR in bookworm main; its package is unpacked under build/, never installed.
TB_OLD_VERSION="1:140.12.0esr-1~deb12u1"
TB_OLD_DIR="$BUILD/thunderbird-140"

ensure_thunderbird_140() {
  [ -x "$TB_OLD_DIR/usr/lib/thunderbird/thunderbird" ] && return
  note "fetching Thunderbird $TB_OLD_VERSION (unpacked into build/, not installed)"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && { apt-get download -q "thunderbird=$TB_OLD_VERSION" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get download -q "thunderbird=$TB_OLD_VERSION" >/dev/null; }; })
  rm -rf "$TB_OLD_DIR" && mkdir -p "$TB_OLD_DIR"
  dpkg -x "$tmp"/thunderbird_*.deb "$TB_OLD_DIR"
  rm -rf "$tmp"
}

e2e_on() {
  local label="$1" exe="$2"
  shift 2
  note "end-to-end suite in a real headless Thunderbird ($label)"
  (cd "$ROOT" && THUNDERBIRD="$exe" CCGUARD_XPI="$(ls "$DIST"/ccguard-*.xpi)" "$@" \
    python3 -m pytest tests/e2e -p no:cacheprovider)
}

# The reference run must be Thunderbird 153 or later (Send separately needs it): an older
# system package would quietly test less.
require_thunderbird_major() {
  local exe="$1" least="$2" version
  version="$("$exe" --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -1)"
  [ "${version%%.*}" -ge "$least" ] 2>/dev/null ||
    die "$exe is Thunderbird '${version:-unknown}': the reference end-to-end run needs $least or later"
  note "reference Thunderbird: $version"
}

test_e2e() {
  ensure_pytest
  ensure_thunderbird
  require_thunderbird_major "$(command -v thunderbird)" 153
  e2e_on "system, the reference" "$(command -v thunderbird)"
  ensure_thunderbird_140
  e2e_on "140 ESR" "$TB_OLD_DIR/usr/lib/thunderbird/thunderbird" \
    env CCGUARD_SCREENSHOT="$ROOT/tests/.artifacts/warning-140.png"
}

run_tests() {
  build
  lint_xpi
  ensure_thunderbird # its jsmime is the parser oracle of the WASM tests too
  test_rust
  test_wasm_package
  test_extension_modules
  test_admin_examples
  test_e2e
}

bench() {
  build
  node "$ROOT/tests/wasm/bench.mjs"
  ensure_thunderbird
  note "an allowed send in real Thunderbird, CcGuard against an onBeforeSend that answers at once"
  (cd "$ROOT" && python3 tests/e2e/bench_send.py "$(ls "$DIST"/ccguard-*.xpi)")
}

# libFuzzer needs a nightly toolchain; without one this says so and fails: a fuzz run
# that did not happen must not read as one that passed.
fuzz() {
  if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    die "cargo fuzz needs a nightly Rust toolchain (rustup toolchain install nightly): nothing was fuzzed"
  fi
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
  local targets target
  targets=$(cd "$ROOT/crates/core/fuzz" && cargo +nightly fuzz list) || die "cargo fuzz list failed: nothing was fuzzed"
  [ -n "$targets" ] || die "cargo fuzz lists no target: nothing was fuzzed"
  for target in $targets; do
    note "fuzzing $target for ${FUZZ_SECONDS:-60} s"
    (cd "$ROOT/crates/core/fuzz" && cargo +nightly fuzz run "$target" -- -max_total_time="${FUZZ_SECONDS:-60}")
  done
}

case "${1:-build}" in
  build) build ;;
  test) run_tests ;;
  lint) lint_xpi "${2:-}" ;;
  bench) bench ;;
  judge) judge ;;
  fuzz) fuzz ;;
  vendor-domains) vendor_domains "${2:-}" ;;
  *) die "unknown command '$1' (use: ./build.sh [build|test|lint [xpi]|bench|judge|fuzz|vendor-domains <version>])" ;;
esac
