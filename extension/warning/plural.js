// CcGuard plural messages, for the warning window and (later) the options page.
//
// A message that depends on a number is stored once per plural category of the language,
// as "<base>_<category>" (category = Intl.PluralRules(language).select(n): zero, one, two,
// few, many, other). English, German and French need "_one" and "_other"; Polish or Czech
// add "_few" and "_many", Japanese needs only "_other". A category a translation lacks
// falls back to "_other". Never build a sentence from pieces instead: word order and
// agreement differ between languages.
//
//   const plural = makePlural(msg, "de");
//   plural("warningMore", 375, [fmt(375)])   // uses warningMore_other: "und 375 weitere"

const rulesByLanguage = new Map();

function pluralRules(language) {
  const key = language || "";
  let rules = rulesByLanguage.get(key);
  if (!rules) {
    try {
      rules = new Intl.PluralRules(language || undefined);
    } catch (error) {
      // An unknown or malformed language tag: English rules (one / other) are the safest.
      rules = new Intl.PluralRules("en");
    }
    rulesByLanguage.set(key, rules);
  }
  return rules;
}

/** The plural category ("one", "few", "other", …) of `n` in `language`. */
export function pluralCategory(n, language) {
  const value = Number(n);
  if (!Number.isFinite(value)) {
    return "other";
  }
  try {
    return pluralRules(language).select(value);
  } catch (error) {
    return "other";
  }
}

/** The message key for `n` that the language's rules pick: "<base>_<category>". */
export function pluralKey(base, n, language) {
  return `${base}_${pluralCategory(n, language)}`;
}

/**
 * `getMessage(key, substitutions)` of the message `base` in the plural form of `n`, falling
 * back to "<base>_other". `getMessage` returns "" for a key that does not exist (as
 * i18n.getMessage does). Returns "" if neither exists.
 */
export function pluralMessage(getMessage, base, n, substitutions, language) {
  const category = pluralCategory(n, language);
  if (category !== "other") {
    const text = getMessage(`${base}_${category}`, substitutions);
    if (text) {
      return text;
    }
  }
  return getMessage(`${base}_other`, substitutions) || "";
}

/** A `plural(base, n, substitutions)` bound to one getMessage and one language. */
export function makePlural(getMessage, language) {
  return (base, n, substitutions) => pluralMessage(getMessage, base, n, substitutions, language);
}
