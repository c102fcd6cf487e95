// CcGuard: small helpers every module shares, defined once.

/** The MailExtension API (`messenger`, or `browser` where only that exists). Read on each
 *  call rather than once at load, so unit tests can install a stub `messenger` first. */
export function api() {
  return globalThis.messenger ?? globalThis.browser;
}

/** Rejects after `ms` unless `promise` settles first; `what` names it in the error. */
export function withTimeout(promise, ms, what) {
  return within(promise, ms, () => {
    throw new Error(`${what} took longer than ${ms} ms`);
  });
}

/** `promise`, or after `ms` what `late()` returns (or throws); the timer never outlives the race. */
export function within(promise, ms, late) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  }).then(late);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * An address as the core compares sending addresses (policy.identities keys): trimmed, lower
 * case, its domain in ASCII (the URL standard's IDN mapping), so that `Ann@Bücher.example` and
 * `ann@xn--bcher-kva.example` are one address. An address whose domain is no host name stays
 * lower case as it is.
 */
export function addressKey(email) {
  const text = String(email ?? "").trim().toLowerCase();
  const at = text.lastIndexOf("@");
  if (at < 0) return text;
  try {
    return `${text.slice(0, at)}@${new URL(`http://${text.slice(at + 1)}`).hostname}`;
  } catch (error) {
    return text;
  }
}

/** A queue: the function it returns runs each `work` (a function returning a Promise) after the
 *  one before it has settled, and resolves like it. For read-modify-write of one storage key. */
export function inTurns() {
  let last = Promise.resolve();
  return (work) => {
    const done = last.then(work, work);
    last = done.catch(() => {});
    return done;
  };
}

/** An object of named keys (not null, not an array). */
export function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Whether `key` is a string and one of `table`'s own keys (never one it inherits). */
export function has(table, key) {
  return typeof key === "string" && Object.prototype.hasOwnProperty.call(table, key);
}

/** An array of strings and nothing else. */
export function isStringArray(value) {
  return Array.isArray(value) && value.every((entry) => typeof entry === "string");
}

/** The strings of `value` when it is an array, else []. */
export function strings(value) {
  return Array.isArray(value) ? value.filter((entry) => typeof entry === "string") : [];
}

/** Runs `call` (which may return a Promise) whose failure changes nothing, e.g. a call to a
 *  window that may be gone already: any error is dropped. */
export function bestEffort(call) {
  try {
    Promise.resolve(call()).catch(() => {});
  } catch (error) {
    // Nothing to do: see above.
  }
}

/** The message `key` in the user's language, or "" when it is missing or i18n fails. */
export function msg(key, substitutions) {
  try {
    return api().i18n.getMessage(key, substitutions) || "";
  } catch (error) {
    return "";
  }
}

/** The language of the strings actually shown: the UI language when CcGuard has it,
 *  English otherwise (every locale carries its own code as `localeCode`). */
export function shownLanguage() {
  return msg("localeCode") || "en";
}

/** Fills every `[data-i18n]` element of `root` with its message and sets the page's
 *  language and title (`titleKey`). Elements whose message is missing keep their text. */
export function localize(root = document, titleKey = "") {
  root.documentElement.lang = shownLanguage();
  const title = titleKey ? msg(titleKey) : "";
  if (title) root.title = title;
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const text = msg(el.dataset.i18n);
    if (text) el.textContent = text;
  }
}

// -- text from outside: names, addresses, list names, domains -------------------------------------
// Such text is hostile input. It is only ever shown as text (never innerHTML), without the
// invisible characters that could disguise it, and isolated (<bdi>) so that right-to-left
// letters in it cannot reorder the rest of its line.

/** Controls, bidi formatting characters (embeddings, overrides, isolates, marks) and the other
 *  invisible format characters: the ones the core's clean.rs takes out of display names, so
 *  that text shown without the core (degraded mode's list names) is cleaned alike. */
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u06DD\u070F\u08E2\u180E\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\u{E0001}\u{E0020}-\u{E007F}]/gu;

/** `value` as text to show: a string without controls or bidi formatting characters, else "". */
export function plainText(value) {
  return typeof value === "string" ? value.replace(INVISIBLE, " ") : "";
}

/** Slot `i` of a message: passed to msg() in place of outside text, which `parts` puts back.
 *  Private-use characters that no translation holds. */
export function slot(i) {
  return `\uE000${i}\uE001`;
}

/** A message text with slots as parts: strings, and `{outside: value}` for each slot. */
export function parts(text, values = []) {
  const out = [];
  let at = 0;
  for (const m of String(text).matchAll(/\uE000(\d+)\uE001/g)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push({ outside: plainText(values[Number(m[1])] ?? "") });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** The message `render(slots)` with `values` in its slots, as parts. */
export function withOutside(render, values) {
  return parts(render(values.map((_, i) => slot(i))), values);
}

/** The element of this page with `id`. */
export function $(id) {
  return document.getElementById(id);
}

/**
 * `<tag attributes…>children…</tag>`; an attribute `true` is present, `false`/null/undefined
 * absent. Text only ever goes in as text nodes (children), never as markup, so a name or an
 * address cannot become HTML.
 */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) node.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}

/** A <bdi> (isolated) holding outside text, with an optional class. */
export function isolated(value, className = "") {
  const el = document.createElement("bdi");
  if (className) el.className = className;
  el.textContent = plainText(value);
  return el;
}

/** Replaces the content of `el` with `content`: a string, or parts (outside text isolated). */
export function setParts(el, content) {
  const list = typeof content === "string" ? [content] : Array.isArray(content) ? content : [];
  el.replaceChildren(...list.map((p) => (typeof p === "string" ? p : isolated(p?.outside))));
}

/** The text of parts (or a string), as it reads. */
export function partsText(content) {
  if (typeof content === "string") return content;
  return Array.isArray(content) ? content.map((p) => (typeof p === "string" ? p : p.outside)).join("") : "";
}
