"""The verdict explains itself: which rule fired decides the look and the choices of the warning.

a) colleagues only: no warning at the default settings; a lowered large-audience threshold gives the
   gentle (informational) warning;
b) the organisation's hard limit: "Send anyway" stays off and the window says why; Move to Bcc works;
c) "Move only external people to Bcc": colleagues stay in Cc, every customer goes to Bcc; forty
   colleagues shown to a supplier warn, and the supplier alone goes to Bcc.

Settings are written the way the add-on stores them (storage.local "policy"), from CcGuard's own
options page in a Thunderbird tab; every test gives back an empty policy ({}) afterwards, even when it
failed. The sending identity is SENDER_EMAIL (shop.example): addresses on shop.example are colleagues.
"""
import re
import time

import pytest

from harness.scenario import SENDER, SENDER_EMAIL, bare, click_button, customers, poll, unique_subject

OWN_DOMAIN = SENDER_EMAIL.rsplit("@", 1)[1]


# -- the policy, through the options page ---------------------------------------------------

# -- helpers -------------------------------------------------------------------------------------

def colleagues(n: int, prefix: str = "colleague") -> list[str]:
    """``n`` people on the sender's own domain; every 5th with a display name."""
    out = []
    for i in range(1, n + 1):
        addr = f"{prefix}{i}@{OWN_DOMAIN}"
        out.append(f"Colleague {i} <{addr}>" if i % 5 == 0 else addr)
    return out


def _header_block(msg) -> bytes:
    return msg.data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]


def _leaked(msg, addresses) -> list[str]:
    """Which of ``addresses`` appear anywhere in the transmitted header block."""
    headers = _header_block(msg).lower()
    return sorted(a for a in addresses if a.encode() in headers)


def _warning_or_outcome(steps, pending, timeout=30.0):
    """Whichever comes first after a send: a CcGuard warning window, or sendMessage settling."""
    return poll(lambda: ("warning" if steps.warning_popups() else None) or ("outcome" if pending.done() else None),
                timeout, what="a warning window or the end of the send")


def _expect_warning(steps, pending, what: str):
    if _warning_or_outcome(steps, pending) == "outcome":
        out = pending.outcome(0)
        raise AssertionError(f"{what} was not held (no warning window); sendMessage "
                             f"{'resolved: the message went out' if out['ok'] else 'failed: ' + repr(out['error'])}")
    return steps.wait_warning()


_JS_WINDOW = r"""
const shown = (el) => Boolean(el) && !el.hidden && el.getClientRects().length > 0
  && window.getComputedStyle(el).visibility !== "hidden" && window.getComputedStyle(el).display !== "none";
const button = (id) => { const b = document.getElementById(id); return b ? {disabled: b.disabled, shown: shown(b)} : null; };
const blocked = document.getElementById("blocked-reason");
return {
  state: document.body.dataset.state,
  severity: document.body.dataset.severity || null,
  headline: document.getElementById("headline").textContent,
  reason: document.getElementById("reason").textContent,
  blockedShown: shown(blocked),
  blockedText: blocked ? blocked.textContent : null,
  describedBy: document.getElementById("dialog").getAttribute("aria-describedby"),
  focused: document.activeElement ? document.activeElement.id : null,
  buttons: Object.fromEntries(["move-to-bcc", "move-external-to-bcc", "send-anyway", "back-to-edit"]
    .map((id) => [id, button(id)])),
  domains: [...document.querySelectorAll("#domains li")].map((li) => ({
    text: li.textContent, kind: li.dataset.kind || null,
    domain: (li.querySelector(".domain") || {}).textContent || null})),
};
"""


def _window(warning) -> dict:
    return warning.eval(_JS_WINDOW)


# -- a) colleagues only: large audience ------------------------------------------------------

COLLEAGUES_40 = colleagues(40)


def test_colleagues_in_to_are_not_held_at_the_default_settings(policy, steps):
    subject = unique_subject("rules-colleagues-default")
    tab = steps.compose(to=COLLEAGUES_40, subject=subject)
    before = len(steps.popup_windows_created())
    pending = steps.send(tab)
    if _warning_or_outcome(steps, pending) == "warning":
        warning = steps.wait_warning(mode=None)
        raise AssertionError("40 colleagues (all on the sender's own domain) were held at the default settings: "
                             f"{warning.text('#headline')!r} / {warning.text('#reason')!r}")
    msg = steps.expect_sent(pending, subject)
    assert steps.popup_windows_created()[before:] == [], "a window opened for 40 colleagues at the default settings"

    assert msg.addresses("To") == [a.lower() for a in (bare([c]).pop() for c in COLLEAGUES_40)], (
        f"To is not the 40 colleagues as written: {msg.header('To')[:200]!r}")
    assert "Colleague 5 <colleague5@" in msg.header("To"), "display names typed in To were lost"
    assert msg.header("Cc") is None
    assert set(msg.envelope) == bare(COLLEAGUES_40)


def test_large_audience_warning_is_gentle_and_send_anyway_sends(policy, steps):
    policy.set({"audienceThreshold": 30})
    subject = unique_subject("rules-audience")
    tab = steps.compose(to=COLLEAGUES_40, subject=subject)
    pending = steps.send(tab)
    warning = _expect_warning(steps, pending, "40 colleagues with audienceThreshold 30")

    view = _window(warning)
    assert re.search(r"\b40\b", view["headline"]), f"the headline does not say 40: {view['headline']!r}"
    assert view["severity"] == "gentle", (
        f"internal mail to many people should get the gentle look, got data-severity={view['severity']!r}: "
        f"{view['headline']!r}")
    assert view["reason"].strip(), "no reason under the headline"
    assert not view["blockedShown"], f"a large audience is not blocked: {view['blockedText']!r}"
    assert view["buttons"]["send-anyway"] == {"disabled": False, "shown": True}, view["buttons"]
    assert view["focused"] == "move-to-bcc", f"focus should start on the default action, it is on {view['focused']!r}"

    warning.click("send-anyway")
    msg = steps.expect_sent(pending, subject)
    warning.wait_closed()
    assert msg.addresses("To") == [a.lower() for a in (bare([c]).pop() for c in COLLEAGUES_40)], msg.header("To")[:200]
    assert set(msg.envelope) == bare(COLLEAGUES_40)


# -- b) the organisation's hard limit ----------------------------------------------------------

def test_hard_limit_disables_send_anyway_and_move_to_bcc_still_works(policy, steps):
    policy.set({"hardLimit": 20})
    cc = customers(25, prefix="limit")
    subject = unique_subject("rules-hard-limit")
    tab = steps.compose(to=[SENDER], cc=cc, subject=subject)
    pending = steps.send(tab)
    warning = _expect_warning(steps, pending, "25 external people in Cc with hardLimit 20")

    view = _window(warning)  # wait_warning returned in state "ready": the arm delay is over
    assert view["state"] == "ready", view
    assert re.search(r"\b25\b", view["headline"]), f"the headline does not say 25: {view['headline']!r}"
    assert view["buttons"]["send-anyway"]["disabled"] is True, (
        f"Send anyway must stay disabled above the hard limit: {view['buttons']}")
    assert view["blockedShown"] and view["blockedText"].strip(), (
        f"#blocked-reason must say why Send anyway is off: shown={view['blockedShown']} {view['blockedText']!r}")
    assert re.search(r"\b20\b", view["blockedText"]), f"#blocked-reason does not name the limit 20: {view['blockedText']!r}"
    assert "blocked-reason" in (view["describedBy"] or ""), (
        f"the dialog's description does not include #blocked-reason: {view['describedBy']!r}")
    assert view["buttons"]["move-to-bcc"] == {"disabled": False, "shown": True}, view["buttons"]

    time.sleep(1.0)  # well past the 400 ms arm delay: still off
    again = _window(warning)["buttons"]["send-anyway"]
    assert again["disabled"] is True, f"Send anyway came alive after the arm delay: {again}"
    info = warning.eval("const b = document.getElementById('send-anyway'); b.click(); "
                        "return document.body.dataset.state;")
    assert info == "ready", f"clicking the disabled Send anyway changed the window's state to {info!r}"

    warning.click("move-to-bcc")
    msg = steps.expect_sent(pending, subject)
    warning.wait_closed()
    addrs = bare(cc)
    assert msg.addresses("To") == [SENDER_EMAIL], f"To should be the sender only, got {msg.header('To')!r}"
    assert not msg.addresses("Cc"), f"no Cc expected, got {msg.header('Cc')!r}"
    assert msg.header("Bcc") is None, "a Bcc header must never be transmitted"
    leaked = _leaked(msg, addrs)
    assert not leaked, f"{len(leaked)} recipients still visible in the headers, e.g. {leaked[:3]}"
    assert set(msg.envelope) == addrs | {SENDER_EMAIL}, (
        f"envelope: missing {sorted(addrs - set(msg.envelope))[:5]}, extra {sorted(set(msg.envelope) - addrs - {SENDER_EMAIL})[:5]}")
    assert len(msg.envelope) == 26, f"duplicates in RCPT TO: {len(msg.envelope)}"


def test_above_a_hard_limit_the_colleagues_alone_exceed_only_move_to_bcc_is_offered(policy, steps):
    policy.set({"hardLimit": 3})
    team = colleagues(4, prefix="limitteam")
    clients = customers(2, domains=["gmail.com"], prefix="limitclient")
    subject = unique_subject("rules-hard-limit-colleagues")
    tab = steps.compose(to=team, cc=clients, subject=subject)
    pending = steps.send(tab)
    warning = _expect_warning(steps, pending, "4 colleagues + 2 customers with hardLimit 3")

    view = _window(warning)
    assert view["buttons"]["send-anyway"]["disabled"] is True, view["buttons"]
    external = view["buttons"]["move-external-to-bcc"]
    assert external is None or not external["shown"], (
        f"moving only the customers would leave 4 colleagues visible, above the limit of 3: {view['buttons']}")
    assert view["buttons"]["move-to-bcc"] == {"disabled": False, "shown": True}, view["buttons"]

    warning.click("move-to-bcc")
    msg = steps.expect_sent(pending, subject)
    warning.wait_closed()
    assert msg.addresses("To") == [SENDER_EMAIL], f"To should be the sender only, got {msg.header('To')!r}"
    assert not msg.addresses("Cc"), f"no Cc expected, got {msg.header('Cc')!r}"
    assert set(msg.envelope) == bare(team) | bare(clients) | {SENDER_EMAIL}


# -- c) move only the external people ------------------------------------------------------------

def test_move_only_external_people_to_bcc_keeps_colleagues_in_cc(policy, steps):
    team = colleagues(5, prefix="team")
    clients = customers(12, domains=["gmail.com", "yahoo.com"], prefix="client")
    subject = unique_subject("rules-move-external")
    tab = steps.compose(cc=team + clients, subject=subject)
    pending = steps.send(tab)
    warning = _expect_warning(steps, pending, "5 colleagues + 12 customers in Cc")

    view = _window(warning)
    assert view["severity"] == "warn", f"customers exposed should not look gentle: {view['severity']!r}"
    assert view["buttons"]["move-external-to-bcc"] == {"disabled": False, "shown": True}, (
        f"#move-external-to-bcc should be offered when colleagues and customers are mixed: {view['buttons']}")

    click_button(warning.eval, "move-external-to-bcc")
    msg = steps.expect_sent(pending, subject)
    warning.wait_closed()

    team_addrs, client_addrs = bare(team), bare(clients)
    assert set(msg.addresses("Cc")) == team_addrs, (
        f"Cc should hold exactly the 5 colleagues, got {msg.header('Cc')!r}")
    assert not (set(msg.addresses("To")) & client_addrs), f"a customer is in To: {msg.header('To')!r}"
    leaked = _leaked(msg, client_addrs)
    assert not leaked, f"{len(leaked)} customers still visible in the headers, e.g. {leaked[:3]}"
    assert msg.header("Bcc") is None, "a Bcc header must never be transmitted"
    assert client_addrs <= set(msg.envelope), f"customers missing from RCPT TO: {sorted(client_addrs - set(msg.envelope))}"
    assert team_addrs <= set(msg.envelope), f"colleagues missing from RCPT TO: {sorted(team_addrs - set(msg.envelope))}"
    assert len(msg.envelope) == len(set(msg.envelope)), f"duplicates in RCPT TO: {msg.envelope}"
    assert set(msg.envelope) - team_addrs - client_addrs <= {SENDER_EMAIL}, (
        f"unexpected recipients in RCPT TO: {sorted(set(msg.envelope) - team_addrs - client_addrs)}")


def test_forty_colleagues_shown_to_a_supplier_warn_and_the_supplier_goes_to_bcc(policy, steps):
    rep = "Megan Rep <megan.rep@vendor.example>"
    subject = unique_subject("rules-colleagues-outside")
    pending = steps.send(steps.compose(to=[rep], cc=COLLEAGUES_40, subject=subject))
    warning = _expect_warning(steps, pending, "40 colleagues in Cc of a mail to a supplier")

    view = _window(warning)
    # The rule's count, then everyone's: the supplier is the 41st.
    assert view["headline"].startswith("40 colleagues' addresses would be shown to people outside your organisation"), (
        view["headline"])
    assert "41 people in To and Cc in total" in view["headline"], view["headline"]
    assert "phishing" in view["reason"], view["reason"]
    assert view["severity"] == "warn", view["severity"]
    assert view["buttons"]["move-external-to-bcc"] == {"disabled": False, "shown": True}, view["buttons"]

    click_button(warning.eval, "move-external-to-bcc")
    msg = steps.expect_sent(pending, subject)
    warning.wait_closed()
    assert set(msg.addresses("Cc")) == bare(COLLEAGUES_40), msg.header("Cc")[:200]
    assert msg.header("To") is None or "megan.rep" not in msg.header("To").lower(), msg.header("To")
    assert not _leaked(msg, {"megan.rep@vendor.example"}), "the supplier is still visible"
    assert "megan.rep@vendor.example" in msg.envelope


# -- d) the window explains who would be exposed -------------------------------------------------

_JS_RECIPIENT_KINDS = r"""
return [...document.querySelectorAll("#recipients li")].map((li) => ({
  email: ((li.querySelector(".email") || {}).textContent || "").replace(/^<|>$/g, "").toLowerCase(),
  kind: li.dataset.kind || null,
  badge: (li.querySelector(".kind") || {}).textContent || null}));
"""


def test_window_marks_colleagues_and_private_individuals(policy, steps):
    team = colleagues(5, prefix="mark")
    clients = customers(12, domains=["gmail.com", "yahoo.com"], prefix="marked")
    subject = unique_subject("rules-kinds")
    tab = steps.compose(to=[SENDER], cc=team + clients, subject=subject)
    pending = steps.send(tab)
    warning = _expect_warning(steps, pending, "5 colleagues + 12 customers in Cc")

    view = _window(warning)
    # 12 customers on consumer mailboxes: the private-individuals rule speaks first.
    assert re.search(r"\b12\b", view["headline"]), f"the headline does not say 12: {view['headline']!r}"
    kinds = {d["domain"]: d["kind"] for d in view["domains"]}
    assert kinds == {"gmail.com": "private", "yahoo.com": "private", OWN_DOMAIN: "internal"}, (
        f"the domains are not grouped and marked by kind: {view['domains']}")
    people = {p["email"]: p for p in warning.eval(_JS_RECIPIENT_KINDS)}
    assert set(people) == bare(team) | bare(clients), f"the recipient sample is not the 17 visible people: {sorted(people)}"
    wrong = {e: p["kind"] for e, p in people.items()
             if p["kind"] != ("internal" if e.endswith("@" + OWN_DOMAIN) else "private") or not p["badge"]}
    assert not wrong, f"recipients without the right kind badge: {wrong}"

    warning.click("back-to-edit")
    warning.wait_closed()
    steps.expect_rejected(pending)
    steps.sink.assert_nothing(wait=1.0, subject=subject)
