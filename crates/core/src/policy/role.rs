//! What a sending address is used for, and what that changes.

use super::Thresholds;
use serde::{Deserialize, Serialize};

/// The user's (or the organisation's) answer to "What do you use this address for?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Private life: mail to friends and family is not an organisation exposing the
    /// people it serves (the GDPR's household exemption draws the same line).
    Personal,
    /// Work, whatever the domain: a therapist, tutor or landlord on gmail.com serves
    /// private individuals like any company does.
    Organisation,
    /// Health, legal, HR, counselling, children: being on the message can itself say
    /// something private, so even two people shown to each other is a breach, and
    /// colleagues count too.
    Sensitive,
}

/// How strict a sensitive identity is, whatever the general thresholds: two people
/// outside the organisation shown to each other, or a handful of colleagues.
const SENSITIVE: Thresholds = Thresholds {
    private_threshold: 2,
    external_threshold: 2,
    organisation_threshold: 2,
    colleague_threshold: 5,
    audience_threshold: 5,
    hard_limit: 0,
};

impl Role {
    pub fn parse(word: &str) -> Option<Role> {
        match word {
            "personal" => Some(Role::Personal),
            "organisation" => Some(Role::Organisation),
            "sensitive" => Some(Role::Sensitive),
            _ => None,
        }
    }

    /// The role's reading of the general thresholds.
    pub fn thresholds(self, general: Thresholds) -> Thresholds {
        match self {
            Role::Organisation => general,
            Role::Personal => Thresholds {
                private_threshold: 0,
                ..general
            },
            // Stricter than the general value, never looser: a rule the policy switched
            // off still protects a sensitive identity.
            Role::Sensitive => {
                let strict = |general: u32, sensitive: u32| match general {
                    0 => sensitive,
                    g => g.min(sensitive),
                };
                Thresholds {
                    private_threshold: strict(
                        general.private_threshold,
                        SENSITIVE.private_threshold,
                    ),
                    external_threshold: strict(
                        general.external_threshold,
                        SENSITIVE.external_threshold,
                    ),
                    organisation_threshold: strict(
                        general.organisation_threshold,
                        SENSITIVE.organisation_threshold,
                    ),
                    colleague_threshold: strict(
                        general.colleague_threshold,
                        SENSITIVE.colleague_threshold,
                    ),
                    audience_threshold: strict(
                        general.audience_threshold,
                        SENSITIVE.audience_threshold,
                    ),
                    hard_limit: general.hard_limit,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_personal_identity_is_judged_without_the_private_rule() {
        let t = Role::Personal.thresholds(Thresholds::default());
        assert_eq!(t.private_threshold, 0);
        assert_eq!(
            t.external_threshold,
            Thresholds::default().external_threshold
        );
    }

    #[test]
    fn a_sensitive_identity_is_never_looser_than_the_policy() {
        let t = Role::Sensitive.thresholds(Thresholds::default());
        assert_eq!(
            (
                t.private_threshold,
                t.external_threshold,
                t.audience_threshold
            ),
            (2, 2, 5)
        );
        let off = Thresholds {
            private_threshold: 0,
            external_threshold: 1,
            ..Thresholds::default()
        };
        let t = Role::Sensitive.thresholds(off);
        assert_eq!((t.private_threshold, t.external_threshold), (2, 1));
    }
}
