// CcGuard options: the question CcGuard asks once per sending address — "What do you use this
// address for?" — with three answers in plain words. The answer is the policy's
// identities.<address>.role (docs/policy.md): it decides which rules apply to mail from that
// address and how strictly. An organisation that set or locked `identities` answers for the user.
//
// #roles-section holds one radio group per identity (name="role-<n>", values personal,
// organisation, sensitive); each change is saved at once.

import { sendingIdentities } from "../identities.js";
import { roleAnswers, saveRole } from "../settings.js";
import { addressKey, el, isolated, isPlainObject, msg } from "../util.js";

/** The answers of the key table (settings.roleAnswers) that this page can put in words. */
async function roleChoices() {
  return (await roleAnswers()).filter((c) => Object.hasOwn(ROLE_WORDS, c));
}

/** Each answer in plain words: its label and what it changes. */
const ROLE_WORDS = {
  organisation: () => [msg("roleOrganisationLabel"), msg("roleOrganisationHelp")],
  personal: () => [msg("rolePersonalLabel"), msg("rolePersonalHelp")],
  sensitive: () => [msg("roleSensitiveLabel"), msg("roleSensitiveHelp")],
};

/** The role the policy in force gives `email`, or null when nobody answered. */
function roleOf(policy, email, choices) {
  const identities = isPlainObject(policy?.identities) ? policy.identities : {};
  // The core's keys: the domain in ASCII, as addressKey writes it.
  const role = identities[addressKey(email)]?.role;
  return choices.includes(role) ? role : null;
}

function identityFieldset(identity, index, role, locked, onChoose, choices) {
  const legendText = identity.name ? [isolated(identity.name), " ", isolated(`<${identity.email}>`)] : [isolated(identity.email)];
  const fieldset = el("fieldset", { class: "role", "data-email": identity.email, "data-role": role ?? "" }, [
    el("legend", {}, legendText),
  ]);
  for (const choice of choices) {
    const id = `role-${index}-${choice}`;
    const input = el("input", {
      type: "radio",
      id,
      name: `role-${index}`,
      value: choice,
      checked: role === choice,
      disabled: locked,
      "aria-describedby": `${id}-help`,
    });
    input.addEventListener("change", () => {
      if (input.checked) onChoose(identity.email, choice, fieldset);
    });
    const [label, help] = ROLE_WORDS[choice]();
    fieldset.append(
      el("div", { class: "choice" }, [
        input,
        el("label", { for: id }, [label]),
        el("p", { id: `${id}-help`, class: "help indent" }, [help]),
      ]),
    );
  }
  if (!role) fieldset.append(el("p", { class: "note unanswered" }, [msg("rolesUnanswered")]));
  return fieldset;
}

/**
 * Fills #roles-section: `policy` is the policy in force, `locked` whether the organisation set or
 * locked `identities`. `onSaved(stored)` gets the stored settings
 * after each answer. Resolves to how many identities have no answer yet.
 */
export async function showRoles({ policy, locked, onSaved }) {
  const section = document.getElementById("roles-section");
  const [identities, choices] = await Promise.all([sendingIdentities(), roleChoices()]);
  const status = el("p", { id: "roles-status", class: "status", role: "status", "aria-live": "polite" });
  const onChoose = async (email, role, fieldset) => {
    try {
      // Saved over what is stored now: an answer given meanwhile in a warning window stays.
      const current = await saveRole(email, role);
      fieldset.dataset.role = role;
      fieldset.querySelector(".unanswered")?.remove();
      status.textContent = msg("rolesSaved");
      onSaved?.(current);
    } catch (error) {
      status.textContent = msg("optionsSaveFailed", [String(error?.message ?? error)]);
    }
  };
  const fieldsets = identities.map((identity, i) =>
    identityFieldset(identity, i, roleOf(policy, identity.email, choices), locked, onChoose, choices),
  );
  section.replaceChildren(
    el("h2", { id: "roles-heading", class: "label" }, [msg("rolesHeading")]),
    el("p", { class: "help" }, [msg("rolesIntro")]),
    ...fieldsets,
    ...(locked ? [el("p", { class: "locked" }, [msg("optionsLocked")])] : []),
    status,
  );
  section.setAttribute("aria-labelledby", "roles-heading");
  section.hidden = identities.length === 0;
  return fieldsets.filter((f) => !f.dataset.role).length;
}
