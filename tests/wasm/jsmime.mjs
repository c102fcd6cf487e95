// Thunderbird's own address parser (jsmime), taken from the installed Thunderbird at run time
// and used only as an oracle. It is never copied into the repository.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const OMNI_CANDIDATES = [
  process.env.THUNDERBIRD_OMNI,
  "/usr/lib/thunderbird/omni.ja",
].filter(Boolean);

export async function loadJsmime() {
  const omni = OMNI_CANDIDATES.find((p) => existsSync(p));
  if (!omni) return null;
  const dir = mkdtempSync(join(tmpdir(), "ccguard-jsmime-"));
  const out = join(dir, "jsmime.mjs");
  // omni.ja is a zip; python's zipfile reads it on any machine that runs build.sh.
  execFileSync("python3", ["-c", `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as f:
    f.write(z.read("modules/jsmime/jsmime.mjs"))
`, omni, out]);
  try {
    const { jsmime } = await import(pathToFileURL(out).href);
    return jsmime;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
