// Judges Mozilla addons-linter's JSON report on the built XPI (`./build.sh lint`, part of
// `./build.sh test`): every error, warning and notice fails, except the few entries of ALLOWED below.
//   node tests/lint/addons-lint.mjs build/lint/addons-linter.json
// addons-linter checks against Firefox's schemas, which do not know Thunderbird's own APIs. Each
// allowed entry matches one exact finding (code, severity, file and the permission or key named), so
// a new finding of the same code still fails. An entry that matches nothing fails too: the list only
// shrinks (a permission dropped from the manifest, or a linter that learns Thunderbird's schemas).
import { readFileSync } from "node:fs";

/** `"/permissions: Invalid permissions "compose" at 2."` for `instancePath: "/permissions/2"`. */
function invalidPermission(name) {
  return (f) => {
    const m = /^\/permissions: Invalid permissions "([^"]+)" at (\d+)\.$/.exec(f.message ?? "");
    return m !== null && m[1] === name && f.instancePath === `/permissions/${m[2]}`;
  };
}

/** The same for `optional_permissions`. */
function invalidOptionalPermission(name) {
  return (f) => {
    const m = /^\/optional_permissions: Invalid optional_permissions "([^"]+)" at (\d+)\.$/.exec(f.message ?? "");
    return m !== null && m[1] === name && f.instancePath === `/optional_permissions/${m[2]}`;
  };
}

const ALLOWED = [
  {
    // Thunderbird's accounts/identities API: identities.js reads your own addresses, which never count.
    code: "MANIFEST_PERMISSIONS", type: "warning", file: "manifest.json", what: "accountsRead",
    matches: invalidPermission("accountsRead"),
  },
  {
    // Thunderbird's address-book API: lists.js expands address-book mailing lists before judging.
    code: "MANIFEST_PERMISSIONS", type: "warning", file: "manifest.json", what: "addressBooks",
    matches: invalidPermission("addressBooks"),
  },
  {
    // Thunderbird's compose API: compose.onBeforeSend is where CcGuard checks (and rewrites) a send.
    code: "MANIFEST_PERMISSIONS", type: "warning", file: "manifest.json", what: "compose",
    matches: invalidPermission("compose"),
  },
  {
    // Thunderbird's messages API: thread.js reads the header of the message a reply answers, and
    // learning.js the headers of mail received (author, To, Cc; never a body).
    code: "MANIFEST_PERMISSIONS", type: "warning", file: "manifest.json", what: "messagesRead",
    matches: invalidPermission("messagesRead"),
  },
  {
    // Thunderbird 153's messages.sendMessage, for "Send separately"; optional only (Thunderbird
    // refuses it in permissions), asked for when the user first chooses it.
    code: "MANIFEST_OPTIONAL_PERMISSIONS", type: "warning", file: "manifest.json", what: "messages.send",
    matches: invalidOptionalPermission("messages.send"),
  },
  {
    // Thunderbird's compose.saveMessage, for Send separately's record in the Sent folder (the
    // compose window saved as a draft, separate/record.js); optional, asked for with messages.send.
    code: "MANIFEST_OPTIONAL_PERMISSIONS", type: "warning", file: "manifest.json", what: "compose.save",
    matches: invalidOptionalPermission("compose.save"),
  },
  {
    // Thunderbird's messages.move: that draft moved into the Sent folder (separate/record.js);
    // optional, asked for with messages.send.
    code: "MANIFEST_OPTIONAL_PERMISSIONS", type: "warning", file: "manifest.json", what: "messagesMove",
    matches: invalidOptionalPermission("messagesMove"),
  },
  {
    // Firefox for Android only (needs 142 for data_collection_permissions): no Thunderbird runs there;
    // Thunderbird 140 and 153 on the desktop accept the key (their manifest schemas define it).
    code: "KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION", type: "warning", file: "manifest.json",
    what: "browser_specific_settings.gecko.data_collection_permissions",
    matches: (f) => (f.description ?? "").includes('"browser_specific_settings.gecko.data_collection_permissions"'),
  },
];

const KINDS = [["errors", "error"], ["warnings", "warning"], ["notices", "notice"]];

function where(f) {
  if (!f.file) return "(no file)";
  return [f.file, f.line, f.column].filter((x) => x !== undefined && x !== null).join(":");
}

function describe(f, type) {
  const lines = [`  ${type} ${f.code} in ${where(f)}: ${f.message}`];
  const desc = String(f.description ?? "").replace(/\s+/g, " ").trim();
  if (desc) lines.push(`      ${desc}`);
  return lines.join("\n");
}

function main(path) {
  if (!path) {
    console.error("usage: node tests/lint/addons-lint.mjs <addons-linter --output json report>");
    return 2;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    console.error(`addons-lint: cannot read the linter's JSON report ${path}: ${e.message}`);
    return 1;
  }
  if (!KINDS.every(([key]) => Array.isArray(report[key])) || typeof report.summary !== "object") {
    console.error(`addons-lint: ${path} is not an addons-linter JSON report (no errors/warnings/notices)`);
    return 1;
  }

  const failed = [];
  const allowed = [];
  const used = new Set();
  for (const [key, type] of KINDS) {
    for (const f of report[key]) {
      const entry = ALLOWED.find(
        (a) => a.code === f.code && a.type === type && a.file === f.file && a.matches(f),
      );
      if (entry) {
        used.add(entry);
        allowed.push(`  allowed ${type} ${f.code} (${entry.what}): ${f.message}`);
      } else {
        failed.push(describe(f, type));
      }
    }
  }
  const unused = ALLOWED.filter((a) => !used.has(a));

  const s = report.summary;
  console.log(`addons-linter: ${s.errors} errors, ${s.warnings} warnings, ${s.notices} notices; ` +
    `${allowed.length} on the allow-list, ${failed.length} not`);
  for (const line of allowed) console.log(line);
  if (failed.length > 0) {
    console.log("Findings not on the allow-list (fix them in extension/, or justify an entry in tests/lint/addons-lint.mjs):");
    for (const line of failed) console.log(line);
  }
  for (const a of unused) {
    console.log(`  allow-list entry ${a.code} (${a.what}) matched nothing: remove it from tests/lint/addons-lint.mjs`);
  }
  return failed.length > 0 || unused.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv[2]);
