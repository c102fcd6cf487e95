//! The labelled scenario sets (`tests/judgement/*.json`): realistic sends, each marked
//! by hand "warn" or "quiet". Generators in the files expand here, the same way every
//! time, so a scenario of 475 customers stays one line of JSON.
//!
//! `scenarios.json` holds new messages; `context.json` and `heldout.json` add what
//! CcGuard knows of the situation: the identity's role, the message answered
//! (`related`) and groups known to see each other (`knownGroups`).

use ccguard_core::address::normalized_address;
use ccguard_core::message::Recipients;
use ccguard_core::policy::IdentitySettings;
use ccguard_core::text::NATIVE;
use ccguard_core::{
    evaluate, parse_address_list, Env, MailingList, Message, Policy, Related, Role, Verdict,
};
use serde_json::Value as Json;
use std::borrow::Cow;

pub struct Scenario {
    pub id: String,
    pub category: String,
    pub tags: Vec<String>,
    pub warn: bool,
    pub why: String,
    /// The identity's answer to "What do you use this address for?", if given.
    pub role: Option<Role>,
    pub message: Message,
}

impl Scenario {
    /// `base` with the scenario's role set for its sending identity.
    pub fn policy<'p>(&self, base: &'p Policy) -> Cow<'p, Policy> {
        let Some(role) = self.role else {
            return Cow::Borrowed(base);
        };
        let from = parse_address_list(&self.message.from, &NATIVE);
        let email = from
            .iter()
            .flat_map(|e| e.mailboxes())
            .map(|m| m.email.as_str())
            .find(|e| !e.is_empty())
            .unwrap_or_else(|| panic!("{}: no sender address for its role", self.id));
        let identity = normalized_address(email, &NATIVE);
        let mut policy = base.clone();
        match policy.identities.iter_mut().find(|(a, _)| *a == identity) {
            Some((_, settings)) => settings.role = Some(role),
            None => policy.identities.push((
                identity,
                IdentitySettings {
                    role: Some(role),
                    ..IdentitySettings::default()
                },
            )),
        }
        Cow::Owned(policy)
    }
}

/// The scenarios of `tests/judgement/<file>`.
pub fn load(file: &str) -> Vec<Scenario> {
    let path = format!("{}/tests/judgement/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    file["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(scenario)
        .collect()
}

fn text(v: &Json, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
        .to_owned()
}

fn scenario(s: &Json) -> Scenario {
    let from = text(s, "from");
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').to_lowercase())
        .unwrap_or_default();
    let field = |v: &Json| Recipients::from(items(v, &domain));
    let lists = s["lists"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .map(|l| MailingList {
                    reference: text(l, "ref"),
                    name: text(l, "name"),
                    members: (!l["members"].is_null()).then(|| items(&l["members"], &domain)),
                })
                .collect()
        })
        .unwrap_or_default();
    let related = (!s["related"].is_null()).then(|| {
        let r = &s["related"];
        Related {
            author: text(r, "author"),
            to: field(&r["to"]),
            cc: field(&r["cc"]),
        }
    });
    let known_groups = s["knownGroups"]
        .as_array()
        .map(|groups| groups.iter().map(|g| items(g, &domain)).collect())
        .unwrap_or_default();
    let role = s["role"]
        .as_str()
        .map(|r| Role::parse(r).unwrap_or_else(|| panic!("{}: bad role {r}", text(s, "id"))));
    let tags = s["tags"]
        .as_array()
        .map(|t| t.iter().map(|t| t.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    let label = text(s, "label");
    assert!(label == "warn" || label == "quiet", "{label}");
    Scenario {
        id: text(s, "id"),
        category: text(s, "category"),
        tags,
        warn: label == "warn",
        why: text(s, "why"),
        role,
        message: Message {
            from,
            to: field(&s["to"]),
            cc: field(&s["cc"]),
            bcc: field(&s["bcc"]),
            lists,
            compose_type: s["type"].as_str().map(str::to_owned),
            related,
            known_groups,
            ..Message::default()
        },
    }
}

const FIRST: [&str; 12] = [
    "Anna",
    "Ben",
    "Chloé",
    "David",
    "Emma",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Katarzyna",
    "Luca",
];
const LAST: [&str; 10] = [
    "Smith", "Müller", "Dubois", "Rossi", "Novak", "García", "Jansen", "Kowalski", "Tanaka",
    "O'Brien",
];

/// Literal strings as they are; `{"people": n, "domains": [...] | {"distinct": k,
/// "pattern": "shop{n}.example"}, "prefix": p, "names": bool}` as n addresses.
fn items(v: &Json, sender_domain: &str) -> Vec<String> {
    // A field is a list of addresses and generators, one generator alone, or absent; any
    // other shape is a mistake in the file, never an empty field.
    let items = match v {
        Json::Array(items) => items.as_slice(),
        Json::Object(_) => std::slice::from_ref(v),
        Json::Null => &[],
        other => panic!("a field must be a list or a generator, not {other}"),
    };
    let mut out = Vec::new();
    for item in items {
        if let Some(s) = item.as_str() {
            out.push(s.to_owned());
            continue;
        }
        let n = item["people"].as_u64().unwrap() as usize;
        let prefix = item["prefix"].as_str().unwrap_or("person");
        let names = item["names"].as_bool().unwrap_or(true);
        let domains: Vec<String> = match &item["domains"] {
            Json::Array(ds) => ds
                .iter()
                .map(|d| match d.as_str().unwrap() {
                    "@self" => sender_domain.to_owned(),
                    "@sub" => format!("mail.{sender_domain}"),
                    d => d.to_owned(),
                })
                .collect(),
            Json::Object(o) => {
                let k = o["distinct"].as_u64().unwrap();
                let pattern = o["pattern"].as_str().unwrap();
                (1..=k)
                    .map(|i| pattern.replace("{n}", &i.to_string()))
                    .collect()
            }
            other => panic!("bad domains {other}"),
        };
        for i in 1..=n {
            let addr = format!("{prefix}.{i}@{}", domains[(i - 1) % domains.len()]);
            out.push(if names {
                format!(
                    "{} {} <{addr}>",
                    FIRST[i % FIRST.len()],
                    LAST[(i / 3) % LAST.len()]
                )
            } else {
                addr
            });
        }
    }
    out
}

/// A scenario with the verdict the policy gives it.
pub struct Judged<'s> {
    pub scenario: &'s Scenario,
    pub verdict: Verdict,
}

impl Judged<'_> {
    pub fn warned(&self) -> bool {
        self.verdict.action == ccguard_core::verdict::Action::Warn
    }
    /// Held by the question "What do you use this address for?" alone: asked once per
    /// address (whose role nobody answered), then the answer decides.
    pub fn asked(&self) -> bool {
        self.verdict.ask_role.is_some()
    }
    /// Held before it goes, the window open: a warning or the question.
    pub fn held(&self) -> bool {
        self.warned() || self.asked()
    }
    pub fn right(&self) -> bool {
        self.held() == self.scenario.warn
    }
}

/// Each scenario judged by `policy`, with the scenario's role for its sending identity.
pub fn judge<'s>(scenarios: &'s [Scenario], policy: &Policy, env: &Env<'_>) -> Vec<Judged<'s>> {
    scenarios
        .iter()
        .map(|scenario| Judged {
            scenario,
            verdict: evaluate(&scenario.message, &scenario.policy(policy), env),
        })
        .collect()
}

/// Confusion counts, "warn" being the positive class.
#[derive(Default, Clone, Copy)]
pub struct Score {
    pub tp: u32,
    pub fp: u32,
    pub fn_: u32,
    pub tn: u32,
}

impl Score {
    /// Counts the warnings alone: as if every address had been answered as its domain
    /// suggests.
    pub fn add(&mut self, j: &Judged<'_>) {
        self.count(j.scenario.warn, j.warned());
    }
    /// Counts what the first send from each address meets: the warning or the question.
    pub fn add_held(&mut self, j: &Judged<'_>) {
        self.count(j.scenario.warn, j.held());
    }
    fn count(&mut self, should: bool, did: bool) {
        match (should, did) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn false_alarm_rate(&self) -> f64 {
        ratio(self.fp, self.fp + self.tn)
    }
    pub fn total(&self) -> u32 {
        self.tp + self.fp + self.fn_ + self.tn
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}
