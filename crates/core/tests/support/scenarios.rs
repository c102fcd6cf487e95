//! The labelled scenario set (`tests/judgement/scenarios.json`): realistic sends, each
//! marked by hand "warn" or "quiet". Generators in the file expand here, the same way
//! every time, so a scenario of 475 customers stays one line of JSON.

use ccguard_core::message::Recipients;
use ccguard_core::{evaluate, MailingList, Message, Policy, PrivateDomains, Verdict};
use serde_json::Value as Json;

pub struct Scenario {
    pub id: String,
    pub category: String,
    pub warn: bool,
    pub why: String,
    pub message: Message,
}

pub fn load() -> Vec<Scenario> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/judgement/scenarios.json"
    );
    let file: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
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
    let field = |key: &str| Recipients::from(items(&s[key], &domain));
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
    let label = text(s, "label");
    assert!(label == "warn" || label == "quiet", "{label}");
    Scenario {
        id: text(s, "id"),
        category: text(s, "category"),
        warn: label == "warn",
        why: text(s, "why"),
        message: Message {
            from,
            to: field("to"),
            cc: field("cc"),
            bcc: field("bcc"),
            lists,
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
    let mut out = Vec::new();
    for item in v.as_array().into_iter().flatten() {
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
    pub fn right(&self) -> bool {
        self.warned() == self.scenario.warn
    }
}

pub fn judge<'s>(
    scenarios: &'s [Scenario],
    policy: &Policy,
    private: &PrivateDomains,
) -> Vec<Judged<'s>> {
    scenarios
        .iter()
        .map(|scenario| Judged {
            scenario,
            verdict: evaluate(&scenario.message, policy, private),
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
    pub fn add(&mut self, j: &Judged<'_>) {
        match (j.scenario.warn, j.warned()) {
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
