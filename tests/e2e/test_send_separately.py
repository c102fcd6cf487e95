"""Send separately (issue 11): one personal copy per person, sent in the background by Thunderbird
153's messages.sendMessage from the warning window; on 140 the choice is absent.

On 153: 25 private customers in Cc -> 25 messages at the sink, each with exactly one customer in
To, no Cc, each customer reached once (envelope), subject, body and attachment kept, the compose
window closed and one record in Sent with everyone in Bcc; Cancel after 5 leaves 20 unsent and the
draft intact; asking for the permissions from the warning, refused then allowed. On 140 every test
asserts that the warning neither shows nor mentions the choice.
"""
import base64
import json
import re
import time

import pytest

from conftest import docs_screenshot
from harness.scenario import SENDER, SENDER_EMAIL, bare, click_button, customers, poll, unique_subject
from harness.thunderbird import CCGUARD_ID

CUSTOMERS = customers(25)
CUSTOMER_ADDRS = bare(CUSTOMERS)
BODY = "Dear customer,\n\nour shop is closed on Monday.\n\nAnn"
ATTACHMENT = bytes(range(256)) + b"opening hours"
PERMISSIONS = ["messages.send", "compose.save", "messagesMove"]

_JS_REVOKE = r"""
const [id, permissions, resolve] = arguments;
const {ExtensionPermissions} = ChromeUtils.importESModule("resource://gre/modules/ExtensionPermissions.sys.mjs");
const policy = WebExtensionPolicy.getByID(id);
ExtensionPermissions.remove(id, {permissions, origins: []}, policy && policy.extension)
  .then(() => ExtensionPermissions.get(id)).then(p => resolve(p.permissions), e => resolve({error: String(e)}));
"""

# The account's Sent folder (the e2e identity files no copies, so Thunderbird never made one).
_JS_SENT_FOLDER = r"""
const {MailServices} = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const root = MailServices.accounts.getIncomingServer("server1").rootFolder;
let sent = root.getFolderWithFlags(Ci.nsMsgFolderFlags.SentMail);
if (!sent) {
  if (!root.containsChildNamed("Sent")) root.createSubfolder("Sent", null);
  sent = root.getChildNamed("Sent");
  sent.setFlag(Ci.nsMsgFolderFlags.SentMail);
}
return sent.URI;
"""

# Every message with this subject in each account's Sent, Drafts and Trash folder.
_JS_FOLDERS = r"""
const [subject] = arguments;
const {MailServices} = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const out = {sent: [], drafts: [], trash: []};
const flags = {sent: Ci.nsMsgFolderFlags.SentMail, drafts: Ci.nsMsgFolderFlags.Drafts, trash: Ci.nsMsgFolderFlags.Trash};
for (const server of MailServices.accounts.allServers) {
  for (const [name, flag] of Object.entries(flags)) {
    const folder = server.rootFolder.getFolderWithFlags(flag);
    if (!folder) continue;
    for (const hdr of folder.messages) {
      if (hdr.mime2DecodedSubject !== subject) continue;
      out[name].push({folder: folder.URI, to: hdr.recipients, cc: hdr.ccList, bcc: hdr.bccList});
    }
  }
}
return out;
"""

# Thunderbird's permission prompt in the main window: its text, and clicking one of its buttons.
_JS_PROMPT = r"""
const pn = Services.wm.getMostRecentWindow("mail:3pane").PopupNotifications;
const note = pn?.panel?.firstElementChild;
return note ? {id: note.id, text: note.textContent.slice(0, 300)} : null;
"""
_JS_ANSWER_PROMPT = r"""
const [accept] = arguments;
const note = Services.wm.getMostRecentWindow("mail:3pane").PopupNotifications?.panel?.firstElementChild;
if (!note) return false;
(accept ? note.button : note.secondaryButton).click();
return true;
"""


@pytest.fixture(scope="module")
def version(tb):
    return tb.major_version()


@pytest.fixture
def separately(tb, version, policy):
    """On 153: CcGuard may send in the background (the permissions granted as if the user had
    allowed them) and the account has a Sent folder. ``policy`` sets the pace."""
    if version >= 153:
        granted = tb.grant_permissions(CCGUARD_ID, PERMISSIONS)
        assert set(PERMISSIONS) <= set(granted), granted
        tb._main().execute(_JS_SENT_FOLDER)
    return policy


def _open_warning(steps, label, cc=CUSTOMERS, attach=False):
    subject = unique_subject(label)
    tab = steps.compose(to=[SENDER], cc=cc, subject=subject, body=BODY)
    if attach:
        steps.driver.call("addAttachment", tabId=tab, fileName="hours.bin", type="application/octet-stream",
                          base64=base64.b64encode(ATTACHMENT).decode())
    pending = steps.send(tab)
    warning = steps.wait_warning()
    return subject, tab, pending, warning


def _offer(warning) -> dict:
    """What the window shows of Send separately, as a user sees it (innerText skips hidden text)."""
    return warning.eval("""
        const b = document.getElementById('send-separately');
        return {button: !b.hidden && !b.disabled, label: b.hidden ? '' : b.innerText,
                hint: document.getElementById('separately-hint').hidden ? '' : document.getElementById('separately-hint').innerText,
                note: document.getElementById('separately-note').hidden ? '' : document.getElementById('separately-note').innerText,
                colleagues: !document.getElementById('separately-colleagues').hidden,
                text: document.body.innerText};""")


def _assert_absent(warning):
    offer = _offer(warning)
    assert not offer["button"] and not offer["label"] and not offer["hint"] and not offer["note"], offer
    assert "separately" not in offer["text"].lower(), "the window must say nothing about Send separately"


def _job_state(warning) -> str | None:
    return warning.eval("return document.body.dataset.job || null;")


def _wait_job(warning, *states, timeout=60.0) -> str:
    return poll(lambda: (s := _job_state(warning)) in states and s, timeout, what=f"the job to be {states}")


def _job_text(warning, selector) -> str:
    return warning.eval(f"const el = document.querySelector({json.dumps(selector)}); return el ? el.innerText : '';")


def _close_job(window) -> None:
    """Clicks Close in a job's window; deferred, so that the frame script answers before the page goes."""
    assert window.eval("const b = document.getElementById('job-close'); if (!b || b.hidden) return false;"
                       "window.setTimeout(() => b.click(), 100); return true;"), "no Close button"
    window.wait_closed()


def _absent_on_140(steps, version, label):
    """140: the warning neither offers nor mentions Send separately. Returns True when done."""
    if version >= 153:
        return False
    subject, tab, pending, warning = _open_warning(steps, label)
    _assert_absent(warning)
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    steps.close_tab(tab)
    return True


def test_offer_follows_thunderbird(steps, version, separately):
    """153: offered, with its hint; 140 (no messages.sendMessage): absent, and not mentioned."""
    subject, tab, pending, warning = _open_warning(steps, "offer")
    if version < 153:
        _assert_absent(warning)
    else:
        offer = _offer(warning)
        assert offer["button"], offer
        assert offer["label"].startswith("Send separately — each person gets their own copy, addressed to them alone"), offer
        assert "25 personal copies" in offer["hint"], offer
        assert not offer["colleagues"], "no colleague in this message: no colleagues' choice"
        docs_screenshot("separately-choice", steps.tb.screenshot(warning.bcid))
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    steps.close_tab(tab)


def test_25_customers_get_one_copy_each(steps, version, separately):
    if _absent_on_140(steps, version, "separately-absent"):
        return
    separately.set({"separatePerMinute": 600})
    subject, tab, pending, warning = _open_warning(steps, "separately", attach=True)
    click_button(warning.eval, "send-separately")
    # The original never goes out: the held send is answered {cancel: true} once every copy is out.
    error = steps.expect_rejected(pending, timeout=90)
    assert "abort" in error.lower(), error
    msgs = steps.sink.wait_for(25, timeout=30, subject=subject)
    time.sleep(2)
    msgs = [m for m in steps.sink.messages if m.subject == subject]
    assert len(msgs) == 25, f"{len(msgs)} messages with the subject, expected 25"
    reached = []
    for m in msgs:
        to = m.addresses("To")
        assert len(to) == 1 and to[0] in CUSTOMER_ADDRS, f"To must be exactly one customer: {m.header('To')!r}"
        assert m.header("Cc") is None and m.header("Bcc") is None, (m.header("Cc"), m.header("Bcc"))
        assert m.envelope == to, f"the envelope of {to} reaches {m.envelope}"
        assert BODY.splitlines()[2] in m.body_text(), m.body_text()[:200]
        files = [(p.get_filename(), p.get_payload(decode=True)) for p in m.message.iter_attachments()]
        assert files == [("hours.bin", ATTACHMENT)], f"attachment of the copy to {to}: {[(n, len(b or b'')) for n, b in files]}"
        reached.append(to[0])
    assert sorted(reached) == sorted(CUSTOMER_ADDRS), "each customer exactly once"
    # Display names as the user typed them: every 7th customer has one.
    named = [m for m in msgs if m.addresses("To") == ["customer7@" + CUSTOMERS[6].split("@")[1].rstrip(">")]]
    assert named and named[0].header("To") == CUSTOMERS[6], [m.header("To") for m in named]

    _wait_job(warning, "done")
    assert _job_text(warning, "#job-progress") == "25 of 25 sent"
    # The compose window closed, and Sent holds one record with everyone in Bcc; no draft is left.
    poll(lambda: not any(w["type"] == "messageCompose" for w in steps.driver.call("windows")), 15,
         what="the compose window to close")
    folders = poll(lambda: (f := steps.tb._main().execute(_JS_FOLDERS, [subject]))["sent"] and f, 15,
                   what="the record in Sent")
    assert len(folders["sent"]) == 1, folders
    record = folders["sent"][0]
    assert bare([a.strip() for a in record["bcc"].split(",")]) == CUSTOMER_ADDRS, record["bcc"][:200]
    assert not record["to"].strip() and not record["cc"].strip(), record
    assert folders["drafts"] == [] and folders["trash"] == [], folders
    assert "Your Sent folder has one record of the message" in _job_text(warning, "#job-notes")
    _close_job(warning)


def test_cancel_after_five_leaves_twenty_and_the_draft(steps, version, separately):
    if _absent_on_140(steps, version, "cancel-absent"):
        return
    separately.set({"separatePerMinute": 20})  # one copy every 3 s: time to see the progress and cancel
    subject, tab, pending, warning = _open_warning(steps, "separately-cancel")
    click_button(warning.eval, "send-separately")
    _wait_job(warning, "sending")
    steps.sink.wait_for(3, timeout=30, subject=subject)
    poll(lambda: re.fullmatch(r"[345] of 25 sent", _job_text(warning, "#job-progress")), 5,
         what=f"the progress to say 3 of 25 (it says {_job_text(warning, '#job-progress')!r})")
    docs_screenshot("separately-progress", steps.tb.screenshot(warning.bcid))
    steps.sink.wait_for(5, timeout=30, subject=subject)
    click_button(warning.eval, "job-cancel")
    error = steps.expect_rejected(pending, timeout=20)
    assert "abort" in error.lower(), error
    _wait_job(warning, "cancelled")
    time.sleep(4)  # longer than the pace: nothing else goes
    sent = [m for m in steps.sink.messages if m.subject == subject]
    assert len(sent) == 5, f"{len(sent)} copies went, expected 5"
    got = {m.addresses("To")[0] for m in sent}
    assert _job_text(warning, "#job-progress") == "5 of 25 sent"
    assert warning.eval("return document.querySelectorAll('#job-not-sent li').length;") == 20
    assert warning.eval("return document.querySelectorAll('#job-sent li').length;") == 5
    # The draft is intact: every recipient, the subject and the body.
    details = steps.details(tab)
    assert bare(details["cc"]) == CUSTOMER_ADDRS and len(details["cc"]) == 25, f"{len(details['cc'])} left in Cc"
    assert bare(details["to"]) == {SENDER_EMAIL}
    assert details["subject"] == subject
    body = (details.get("plainTextBody") or details.get("body") or "").replace("\r\n", "\n")
    assert "our shop is closed on Monday." in body
    _close_job(warning)
    # Sending separately again from that window leaves out the five who have it.
    again = steps.send(tab)
    warning = steps.wait_warning()
    offer = _offer(warning)
    assert "20 personal copies" in offer["hint"] and offer["note"].startswith("5 people already got this message"), offer
    warning.click("back-to-edit")
    steps.expect_rejected(again)
    assert len([m for m in steps.sink.messages if m.subject == subject]) == 5
    assert got <= CUSTOMER_ADDRS
    steps.close_tab(tab)


# A 1x1 red PNG, as a picture pasted into an HTML message reaches the compose window: a data: URL.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
HTML = ("<html><body><p>Dear customer, our new opening hours:</p>"
        f'<p><img src="data:image/png;base64,{base64.b64encode(PIXEL).decode()}" alt="hours"></p></body></html>')


def test_a_pasted_picture_cannot_go_separately_and_move_to_bcc_keeps_it(steps, version, separately):
    """An HTML message with a picture pasted into its text: copies sent in the background would
    carry only a data: URL (seen on 153), so Send separately shows, unavailable, with the reason;
    Move to Bcc sends it the way Thunderbird does, the picture a related part shown by cid:."""
    if _absent_on_140(steps, version, "pictures-absent"):
        return
    steps.tb._main().execute("Services.prefs.setBoolPref('mail.identity.id1.compose_html', true); return true;")
    try:
        few = CUSTOMERS[:4]
        subject = unique_subject("separately-pictures")
        tab = steps.compose(to=[SENDER], cc=few, subject=subject, html=HTML)
        pending = steps.send(tab)
        warning = steps.wait_warning()
        offer = _offer(warning)
        assert not offer["button"] and not offer["hint"], offer
        assert warning.eval("return !document.getElementById('send-separately').hidden;"), "shown, so the reason can be read"
        assert offer["note"].startswith("This message has pictures in its text"), offer
        click_button(warning.eval, "move-to-bcc")
        m = steps.expect_sent(pending, subject)
        assert m.header("Cc") is None and sorted(m.envelope) == sorted([SENDER_EMAIL, *bare(few)])
        parts = {p.get_content_type(): p for p in m.message.walk()}
        assert parts["image/png"].get_payload(decode=True) == PIXEL, sorted(parts)
        cid = parts["image/png"]["Content-ID"].strip("<>")
        assert f"cid:{cid}" in parts["text/html"].get_content()
    finally:
        steps.tb._main().execute("Services.prefs.setBoolPref('mail.identity.id1.compose_html', false); return true;")


def test_permission_asked_from_a_tab_refused_then_allowed(steps, version, separately):
    if _absent_on_140(steps, version, "permission-absent"):
        return
    separately.set({"separatePerMinute": 600})
    revoked = steps.tb._main().execute_async(_JS_REVOKE, [CCGUARD_ID, PERMISSIONS], timeout=20)
    assert not set(PERMISSIONS) & set(revoked), revoked
    few = CUSTOMERS[:4]
    subject, tab, pending, warning = _open_warning(steps, "separately-allow", cc=few)

    def ask_and_answer(accept: bool):
        before = {t["tabId"] for t in steps.tb.tabs()}
        click_button(warning.eval, "send-separately")
        assert _offer(warning)["note"].startswith("Thunderbird asks in its main window"), _offer(warning)
        page = poll(lambda: [t for t in steps.tb.tabs() if t["tabId"] not in before and "allow.html" in (t["url"] or "")],
                    15, what="the tab asking for the permissions")[0]
        poll(lambda: steps.tb.tab_eval(page["tabId"], "return document.readyState === 'complete' && !!document.getElementById('allow');"),
             10, what="the permission page")
        steps.tb.tab_eval(page["tabId"], "document.getElementById('allow').click(); return true;")
        for prompt in (1, 2):  # Thunderbird grants messages.send only alone: two prompts
            shown = poll(lambda: steps.tb._main().execute(_JS_PROMPT), 15, what=f"Thunderbird's permission prompt {prompt}")
            assert shown["id"] == "addon-webext-permissions-notification", shown
            assert steps.tb._main().execute(_JS_ANSWER_PROMPT, [accept])
            time.sleep(0.5)

    ask_and_answer(False)
    poll(lambda: _offer(warning)["note"].startswith("CcGuard may not send e-mail for you"), 15, what="the refusal")
    assert _offer(warning)["button"], "the other choices, and asking again, stay"
    steps.sink.assert_nothing(wait=1.0, subject=subject)
    ask_and_answer(True)
    steps.expect_rejected(pending, timeout=60)
    msgs = steps.sink.wait_for(4, timeout=30, subject=subject)
    assert sorted(m.addresses("To")[0] for m in msgs) == sorted(bare(few))
    _wait_job(warning, "done")


def test_killed_mid_way_then_finish_at_the_next_start(thunderbird_factory, version):
    """Thunderbird is killed while the copies go out. At its next start CcGuard opens a window saying
    what was sent and what was not; Send the rest sends the planned copies from the message it
    kept (attachment included), never the one that was on its way."""
    from harness.options_page import OptionsPage, StoredPolicy
    from harness.scenario import Steps

    tb2 = thunderbird_factory.start("separately-restart")
    try:
        steps = Steps(tb2)
        if version < 153:
            assert _absent_on_140(steps, version, "restart-absent")
            return
        tb2.grant_permissions(CCGUARD_ID, PERMISSIONS)
        page = OptionsPage.open(tb2)
        StoredPolicy(page).set({"separatePerMinute": 20})
        page.close()
        ten = CUSTOMERS[:10]
        subject, tab, pending, warning = _open_warning(steps, "separately-restart", cc=ten, attach=True)
        click_button(warning.eval, "send-separately")
        steps.sink.wait_for(3, timeout=30, subject=subject)
        tb2.restart(kill=True)  # a crash or a power cut: nothing of CcGuard's runs at the end
        popup = poll(lambda: [p for p in tb2.popups() if "/warning/job.html" in (p["url"] or "")], 60,
                     what="the window of the interrupted job at the next start")[0]
        from harness.scenario import Warning
        window = Warning(tb2, popup)
        _wait_job(window, "interrupted", timeout=20)
        before = [m for m in steps.sink.messages if m.subject == subject]
        sent_before = {m.addresses("To")[0] for m in before}
        unconfirmed = window.eval("return [...document.querySelectorAll('#job-unconfirmed li')].map((li) => li.innerText);")
        assert len(sent_before) in (3, 4) and len(unconfirmed) <= 1, (sorted(sent_before), unconfirmed)
        assert "Thunderbird or CcGuard stopped" in _job_text(window, "#job-notes")
        click_button(window.eval, "job-finish")
        _wait_job(window, "done", timeout=120)
        msgs = [m for m in steps.sink.messages if m.subject == subject]
        reached = [m.addresses("To")[0] for m in msgs]
        assert len(reached) == len(set(reached)), f"someone got two copies: {sorted(reached)}"
        missing = bare(ten) - set(reached)
        assert len(missing) <= len(unconfirmed), f"not reached and not listed as unconfirmed: {missing}"
        for m in msgs:
            assert m.envelope == m.addresses("To") and m.header("Cc") is None
            files = [(p.get_filename(), p.get_payload(decode=True)) for p in m.message.iter_attachments()]
            assert files == [("hours.bin", ATTACHMENT)], [(n, len(b or b"")) for n, b in files]
        assert "No record of the message was filed" in _job_text(window, "#job-notes")
    finally:
        thunderbird_factory.stop(tb2)
